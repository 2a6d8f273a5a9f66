import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearest } from '../../src/config/suggest.ts';

describe('suggest', () => {
  it('editDistance counts a swap of neighbours as one edit and ignores case', () => {
    expect(editDistance('medianRatoi', 'medianRatio')).toBe(1);
    expect(editDistance('capacityMW', 'capacityMw')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('nearest(word, candidates) returns a close candidate only', () => {
    expect(nearest('uss', ['us', 'ru', 'cn'])).toBe('us');
    expect(nearest('zz', ['us', 'ru', 'cn'])).toBeUndefined();
    expect(nearest('lifespanYear', ['mix', 'lifespanYears', 'retireAfterIdleEpochs'])).toBe('lifespanYears');
    expect(nearest('us', ['us'])).toBeUndefined();
  });

  it('didYouMean formats the hint', () => {
    expect(didYouMean('medianRatoi', ['medianRatio', 'sigmaLog'])).toBe(' (did you mean "medianRatio"?)');
    expect(didYouMean('xyz', ['medianRatio'])).toBe('');
  });
});
