import { describe, expect, it } from 'vitest';
import { unitsOf } from '../../src/audit/run-audit.js';

describe('unitsOf', () => {
  it('covers every slice once, in key order, with units shrinking towards the end', () => {
    for (const [slices, threads] of [[1, 2], [2, 2], [7, 3], [977, 2], [7813, 2], [30000, 4]] as const) {
      const cuts = Array.from({ length: slices - 1 }, (_, i) => `k${String(i).padStart(5, '0')}`);
      const units = unitsOf(cuts, threads);
      // Chained: each unit starts where the last one ended, from the start to the end.
      expect(units[0]!.from).toBeNull();
      expect(units.at(-1)!.to).toBeNull();
      for (let i = 1; i < units.length; i++) expect(units[i]!.from).toBe(units[i - 1]!.to);
      // Every cut is a unit boundary or inside exactly one unit.
      const seen = units.flatMap((u) => [...(u.cuts ?? []), ...(u.to === null ? [] : [u.to])]);
      expect(seen).toEqual(cuts);
      const sizes = units.map((u) => (u.cuts?.length ?? 0) + 1);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]!);
      if (slices >= 100) expect(sizes.at(-1)).toBe(1);
      if (slices >= 7813) expect(sizes[0]).toBe(256);
    }
  });
});
