import { describe, expect, it } from 'vitest';
import { UnitOrder } from '../../src/audit/unit-order.js';

/** Feeds events to a UnitOrder and returns what it wrote, in order. */
function play(units: number, events: ReadonlyArray<[unit: number, batch: string] | [unit: number]>): { written: string[]; complete: boolean } {
  const written: string[] = [];
  const order = new UnitOrder<string>(units, (batch) => written.push(batch));
  for (const event of events) {
    if (event.length === 2) order.add(event[0], event[1]);
    else order.finish(event[0]);
  }
  return { written, complete: order.complete };
}

describe('UnitOrder', () => {
  it('writes in unit order when later units finish first', () => {
    const r = play(3, [[2, 'c1'], [1, 'b1'], [2, 'c2'], [2], [0, 'a1'], [1, 'b2'], [0, 'a2'], [0], [1]]);
    expect(r).toEqual({ written: ['a1', 'a2', 'b1', 'b2', 'c1', 'c2'], complete: true });
  });

  it('writes the next unit as it comes once the earlier ones are finished', () => {
    const written: string[] = [];
    const order = new UnitOrder<string>(2, (batch) => written.push(batch));
    order.add(1, 'b1');
    expect(written).toEqual([]);
    order.add(0, 'a1');
    expect(written).toEqual(['a1']);
    order.finish(0);
    expect(written).toEqual(['a1', 'b1']);
    order.add(1, 'b2');
    expect(written).toEqual(['a1', 'b1', 'b2']);
    expect(order.complete).toBe(false);
    order.finish(1);
    expect(order.complete).toBe(true);
  });

  it('is not complete while a unit is unfinished, and units without batches are fine', () => {
    expect(play(3, [[0], [2, 'c'], [2]])).toEqual({ written: [], complete: false });
    expect(play(3, [[0], [2, 'c'], [2], [1]])).toEqual({ written: ['c'], complete: true });
  });
});
