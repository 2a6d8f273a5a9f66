import { describe, expect, it } from 'vitest';
import { scoreObservation } from '../../src/stats/score.ts';
import { seriesScorecard } from '../../src/stats/scorecard.ts';

describe('scoreObservation', () => {
  it('scores 2.5 against 0..100: median 50, quantile 0.03, outside both intervals, log error ln 20', () => {
    const values = Array.from({ length: 101 }, (_, i) => 100 - i); // any order
    const s = scoreObservation(values, 2.5, 'x');
    expect(s).toMatchObject({ median: 50, p05: 5, p25: 25, p75: 75, p95: 95, in50: false, in90: false });
    expect(s.quantile).toBeCloseTo(3 / 101, 12);
    expect(s.absLogError).toBeCloseTo(Math.log(20), 12);
  });

  it('refuses a NaN replicate value, naming the series', () => {
    expect(() => scoreObservation([1, NaN], 1, 'difficulty on 2024-05-09')).toThrow('difficulty on 2024-05-09: NaN at index 1');
  });
});

describe('seriesScorecard', () => {
  it('sums up: coverage is the share inside, the CRPS mean and its ratio to the mean observation', () => {
    const observed = [1, 2, 3, 10];
    const scores = observed.map((y) => scoreObservation([1, 2, 3], y, 'x'));
    const card = seriesScorecard(scores, observed);
    // intervals of [1, 2, 3]: 50% [1.5, 2.5], 90% [1.1, 2.9]
    expect(card).toMatchObject({ n: 4, nLog: 4, coverage50: 0.25, coverage90: 0.25 });
    const crps = [1 / 3 + 2 / 3 - 4 / 9, 2 / 3 - 4 / 9, 1 - 4 / 9, 8 - 4 / 9].map((c) => c);
    const mean = (crps[0] + crps[1] + crps[2] + crps[3]) / 4;
    expect(card.crpsMean).toBeCloseTo(mean, 12);
    expect(card.crpsRelative).toBeCloseTo(mean / 4, 12);
    expect(card.mdale).toBeCloseTo(Math.log(2) / 2 + Math.log(1.5) / 2, 12);
  });

  it('has no relative CRPS when every observation is 0, and no MdALE without a defined log error', () => {
    const card = seriesScorecard([scoreObservation([0, 0.1], 0, 'x')], [0]);
    expect(card.crpsRelative).toBeNull();
    expect(card.mdale).toBeNull();
    expect(card.nLog).toBe(0);
  });
});
