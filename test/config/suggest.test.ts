import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanOneOf, editDistance, nearest, pathsEnding } from '../../src/config/suggest.ts';

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
    expect(didYouMeanOneOf(['a.b', 'c.b'])).toBe(' (did you mean "a.b" or "c.b"?)');
    expect(didYouMeanOneOf([])).toBe('');
  });

  it('pathsEnding finds where a key belongs: the same last key, else the nearest, closest to where it was written first', () => {
    const paths = ['model.start.date', 'model.events[].date', 'model.decisions.destinations', 'model.fleet.lifespanYears'];
    expect(pathsEnding('destinations', paths, 'model')).toEqual(['model.decisions.destinations']);
    expect(pathsEnding('lifespanYear', paths, 'model.market')).toEqual(['model.fleet.lifespanYears']);
    expect(pathsEnding('date', paths, 'model.events[]')).toEqual(['model.events[].date', 'model.start.date']);
    expect(pathsEnding('date', paths)).toEqual(['model.start.date', 'model.events[].date']);
    expect(pathsEnding('zzzqqq', paths, 'model')).toEqual([]);
  });
});
