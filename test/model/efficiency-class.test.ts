// freeSlot's test of one efficiency class (src/model/renewal.ts, oneClass) takes logarithms only
// near the class's edge: it must give what |ln x - ln y| <= LOT_CLASS_LOG gives, for every pair.
import { describe, expect, it } from 'vitest';
import { oneClass } from '../../src/model/renewal.ts';
import { LOT_CLASS_LOG } from '../../src/model/secondary.ts';

const byLogs = (x: number, y: number) => Math.abs(Math.log(x) - Math.log(y)) <= LOT_CLASS_LOG;

describe('one efficiency class (freeSlot)', () => {
  it('agrees with the difference of logarithms on pairs spread over 5-120 J/TH and on pairs at the class edge', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let inside = 0;
    let n = 0;
    for (let k = 0; k < 200_000; k++) {
      const x = 5 + 115 * next();
      // half the pairs within 5% of x, a quarter within 1e-9 of the edge (both sides), the rest anywhere
      const u = next();
      const y = u < 0.5 ? x * Math.exp((next() - 0.5) * 0.1) : u < 0.75 ? x * Math.exp(LOT_CLASS_LOG * (next() < 0.5 ? 1 : -1) * (1 + (next() - 0.5) * 2e-9)) : 5 + 115 * next();
      expect(oneClass(x, y), `${x}, ${y}`).toBe(byLogs(x, y));
      if (byLogs(x, y)) inside++;
      n++;
    }
    // both answers occur often, so the comparison is not one-sided
    expect(inside).toBeGreaterThan(n / 5);
    expect(n - inside).toBeGreaterThan(n / 5);
  });

  it('holds equal efficiencies as one class and 2.5% apart as two', () => {
    expect(oneClass(17.5, 17.5)).toBe(true);
    expect(oneClass(17.5, 17.5 * 1.025)).toBe(false);
    expect(oneClass(17.5 * 1.015, 17.5)).toBe(true);
  });
});
