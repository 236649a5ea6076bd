/**
 * Seeded pseudo-random numbers. Every person draws from its own stream, seeded
 * from (seed, person index, purpose), so one person's data does not depend on how
 * many numbers the persons before it consumed, and turning a knob such as the
 * malformed share leaves every other byte of the data as it was.
 */

/** Mixes two 32-bit words into one (murmur3 finaliser over a golden-ratio step). */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b | 0, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Folds an integer seed of any size (up to 2^53) into 32 bits. */
export function seed32(seed: number): number {
  const low = seed % 4294967296;
  const high = Math.floor(seed / 4294967296);
  return mix32(low >>> 0, high + 0x5bd1e995);
}

/** mulberry32: tiny, fast, and good enough for shaping synthetic data. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Re-seeds in place (the generator reuses one instance per stream). */
  reset(seed: number): void {
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [low, high], both included. */
  between(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index into `cumulative` (ascending partial sums ending at the total). */
  weighted(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const x = this.next() * total;
    let i = 0;
    while (i < cumulative.length - 1 && x >= (cumulative[i] ?? 0)) i++;
    return i;
  }
}

/** Ascending partial sums of `weights`, for `Random.weighted`. */
export function cumulative(weights: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    out.push(sum);
  }
  return out;
}
