// Fees replayed from data (model.market.fees.pathCsv): a step function that the fee_ratio metric
// shows exactly, without shifting the market stream's other draws (common random numbers).
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

/** The replayed ratio in force on `day`: the last row dated on or before it (the first before them all). */
function inForce(day: number): number {
  let v = FEES[0].feeRatio;
  for (const f of FEES) if (dayOf(f.date, START) <= day) v = f.feeRatio;
  return v;
}

describe('replayed fees', () => {
  const key = { rootSeed: 7, replicate: 3, point: null };
  const replayed = simulateReplicate(resolveParams(model, null, FEES), key);
  const drawn = simulateReplicate(resolveParams(model, null), key);

  it('the fee_ratio metric of every epoch is the row in force on its start day, exactly', () => {
    const fee = series(replayed, 'fee_ratio');
    const seen = new Set<number>();
    for (let e = 0; e < replayed.epochCount; e++) {
      const startDay = e === 0 ? 0 : replayed.daysElapsed[e - 1];
      expect(fee[e], `epoch ${e}`).toBe(inForce(startDay));
      seen.add(fee[e]);
    }
    // The horizon crosses every step after the start, so each of those values is seen.
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 0.004, 0.02, 0.31]);
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
      expect(sa.feeRatio, `day ${day}`).toBe(inForce(day));
    }
    // Both streams stand at the same place afterwards.
    expect(a.market.uniform()).toBe(b.market.uniform());
    expect(Array.from(series(replayed, 'fee_ratio'))).not.toEqual(Array.from(series(drawn, 'fee_ratio')));
  });
});
