/**
 * Passes on the batches of numbered units in unit order, whatever order they come in:
 * a unit's batches go out as they come once every earlier unit is finished, and wait
 * until then. Batches of one unit must come in their own order (a thread's messages do).
 */
export class UnitOrder<T> {
  private next = 0;
  private readonly pending: T[][];
  private readonly finished: boolean[];

  constructor(
    private readonly units: number,
    private readonly write: (batch: T) => void,
  ) {
    this.pending = Array.from({ length: units }, () => []);
    this.finished = new Array<boolean>(units).fill(false);
  }

  add(unit: number, batch: T): void {
    if (unit === this.next) this.write(batch);
    else this.pending[unit]!.push(batch);
  }

  /** The unit has no more batches. */
  finish(unit: number): void {
    this.finished[unit] = true;
    while (this.next < this.units && this.finished[this.next]) {
      this.next++;
      if (this.next < this.units) {
        for (const batch of this.pending[this.next]!) this.write(batch);
        this.pending[this.next] = [];
      }
    }
  }

  /** Whether every unit is finished and written. */
  get complete(): boolean {
    return this.next === this.units;
  }
}
