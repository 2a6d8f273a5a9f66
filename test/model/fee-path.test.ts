// Fees replayed from data (model.market.fees.pathCsv): a step function whose mean over each epoch's
// nominal span the fee_ratio metric shows, without shifting the market stream's other draws (common
// random numbers).
import { describe, expect, it } from 'vitest';
import { resolveParams, type FeePoint } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { dayOf } from '../../src/model/time.ts';
import { advanceMarket } from '../../src/model/market.ts';
import { initialState } from '../../src/model/init.ts';
import { createStreams } from '../../src/model/rng.ts';
import { baselineExperiment, series } from './support.ts';

const model = structuredClone(baselineExperiment().model);
model.operators.count = 120;
model.horizon.endDate = '2027-01-31';
const START = model.start.date;
// Before the start (the first row holds until the second), then steps inside the horizon.
const FEES: FeePoint[] = [
  { date: '2026-01-01', feeRatio: 0.004 },
  { date: '2026-05-10', feeRatio: 0.12 },
  { date: '2026-05-11', feeRatio: 0.02 },
  { date: '2026-09-01', feeRatio: 0 },
  { date: '2026-12-24', feeRatio: 0.31 },
];

const SPAN = resolveParams(model, null, FEES).nominalEpochDays;

/**
 * The mean of the replayed step function over [day, day + SPAN): each row in force from its date
 * until the next (the first row before them all, the last after them), summed row by row over its
 * overlap with the span.
 */
function meanOver(day: number): number {
  const days = FEES.map((f) => dayOf(f.date, START));
  let sum = 0;
  for (let i = 0; i < FEES.length; i++) {
    const from = i === 0 ? -Infinity : days[i];
    const to = i === FEES.length - 1 ? Infinity : days[i + 1];
    const overlap = Math.min(to, day + SPAN) - Math.max(from, day);
    if (overlap > 0) sum += FEES[i].feeRatio * overlap;
  }
  return sum / SPAN;
}

describe('replayed fees', () => {
  const key = { rootSeed: 7, replicate: 3, point: null };
  const replayed = simulateReplicate(resolveParams(model, null, FEES), key);
  const drawn = simulateReplicate(resolveParams(model, null), key);

  it('the fee_ratio metric of every epoch is the mean of the rows over the nominal epoch from its start day', () => {
    expect(SPAN).toBe(14);
    const fee = series(replayed, 'fee_ratio');
    let wholeSteps = 0;
    for (let e = 0; e < replayed.epochCount; e++) {
      const startDay = e === 0 ? 0 : replayed.daysElapsed[e - 1];
      expect(fee[e], `epoch ${e}`).toBeCloseTo(meanOver(startDay), 12);
      if (fee[e] === 0 || fee[e] === 0.02 || fee[e] === 0.31) wholeSteps += 1;
    }
    // Epochs wholly inside one row show it as it is; the one-day spike of 0.12 on 2026-05-10 is
    // spread over the epoch that holds it (one day in 14 of 0.12, the rest at 0.004 or 0.02).
    expect(wholeSteps).toBeGreaterThan(10);
    expect(Math.max(...fee)).toBe(0.31);
    const spike = dayOf('2026-05-10', START);
    const holding = Array.from(fee).filter((_, e) => e > 0 && replayed.daysElapsed[e - 1] <= spike && spike < replayed.daysElapsed[e - 1] + SPAN);
    expect(holding.length).toBeGreaterThan(0);
    for (const f of holding) {
      expect(f).toBeGreaterThan(0.004 + 0.1 / SPAN);
      expect(f).toBeLessThan(0.02 + 0.1 / SPAN + 1e-12);
    }
  });

  it('leaves the market stream\'s BTC price draws as they are without the replay, day by day', () => {
    const withFees = resolveParams(model, null, FEES);
    const without = resolveParams(model, null);
    const a = createStreams(key);
    const b = createStreams(key);
    const sa = initialState(withFees, a);
    const sb = initialState(without, b);
    for (let day = 1; day <= 300; day++) {
      advanceMarket(withFees, sa, day, a.market);
      advanceMarket(without, sb, day, b.market);
      expect(sa.priceUsd, `day ${day}`).toBe(sb.priceUsd);
      expect(sa.feeRatio, `day ${day}`).toBeCloseTo(meanOver(day), 12);
    }
    // Both streams stand at the same place afterwards.
    expect(a.market.uniform()).toBe(b.market.uniform());
    expect(Array.from(series(replayed, 'fee_ratio'))).not.toEqual(Array.from(series(drawn, 'fee_ratio')));
  });
});
