import { describe, expect, it } from 'vitest';
import { absLogError, medianAbsLogError } from '../../src/stats/log-error.ts';

describe('absLogError', () => {
  it('is ln 2 for a factor 2 either way', () => {
    expect(absLogError(2, 1)).toBe(Math.LN2);
    expect(absLogError(1, 2)).toBe(Math.LN2);
    expect(absLogError(5, 5)).toBe(0);
  });

  it('is null when either value is not positive', () => {
    expect(absLogError(0, 1)).toBeNull();
    expect(absLogError(1, -1)).toBeNull();
  });
});

describe('medianAbsLogError', () => {
  it('is the median of the defined errors, nulls left out', () => {
    expect(medianAbsLogError([0.1, null, 0.3, 0.2])).toBe(0.2);
    expect(medianAbsLogError([0.1, 0.4])).toBe(0.25);
    expect(medianAbsLogError([null])).toBeNull();
  });
});
