import { describe, expect, it } from 'vitest';
import { epochAtDay } from '../../src/stats/epoch-at-date.ts';

describe('epochAtDay', () => {
  // closes of epochs 1, 2, 3 at days 14, 27.5 and 42 (epoch 0 is the start, day 0)
  const days = Float64Array.of(0, 14, 27.5, 42);

  it('is the epoch t >= 1 with daysElapsed[t - 1] <= day < daysElapsed[t]', () => {
    expect(epochAtDay(days, 0)).toBe(1);
    expect(epochAtDay(days, 0.5)).toBe(1);
    expect(epochAtDay(days, 13.99)).toBe(1);
    expect(epochAtDay(days, 14)).toBe(2);
    expect(epochAtDay(days, 27.5)).toBe(3);
    expect(epochAtDay(days, 41.9)).toBe(3);
  });

  it('is -1 before the start and from the last close on', () => {
    expect(epochAtDay(days, -0.5)).toBe(-1);
    expect(epochAtDay(days, 42)).toBe(-1);
    expect(epochAtDay(days, 100)).toBe(-1);
    expect(epochAtDay(Float64Array.of(0), 0)).toBe(-1);
  });

  it("follows each replicate's own clock: the same day falls in different epochs of a fast and a slow replicate", () => {
    const fast = Float64Array.of(0, 12, 24, 36, 48);
    const slow = Float64Array.of(0, 16, 32, 48, 64);
    expect(epochAtDay(fast, 30.5)).toBe(3);
    expect(epochAtDay(slow, 30.5)).toBe(2);
  });
});
