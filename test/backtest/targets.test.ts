// Targets for the model against history (issue "History as a test suite"): each history episode of
// configs/history/ is run once with its 50 replicates and seed, and the tests read its backtest.csv
// and epochs.csv. A target today's model misses is an expected failure (it.fails), with the value
// it gets beside it; when the model meets it, vitest reports the it.fails as failing, and it becomes
// a plain it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { ROOT } from '../support/cli.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { parseCsv } from '../../src/io/csv-read.ts';
import type { Experiment } from '../../src/config/experiment.ts';
import { dayOf } from '../../src/model/time.ts';

const tmp = tempDirs('hm-targets-');
const RUN_TIMEOUT_MS = 600_000;

type Row = Record<string, string>;

function table(dir: string, name: string): Row[] {
  const file = join(dir, name);
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'), file);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** Runs an episode as configured (replicates, seed) into a temporary folder; returns the folder and its experiment. */
async function runEpisode(name: string): Promise<{ dir: string; experiment: Experiment }> {
  const file = join(ROOT, 'configs', 'history', `${name}.json`);
  const { experiment } = loadExperiment(file);
  const dir = join(tmp(), name);
  await runBatch({ file, experiment, outDir: dir, workers: 2, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {} });
  return { dir, experiment };
}

describe('growth-2022-2026', () => {
  let backtest: Row[] = [];

  beforeAll(async () => {
    const { dir } = await runEpisode('growth-2022-2026');
    backtest = table(dir, 'backtest.csv');
  }, RUN_TIMEOUT_MS);

  /**
   * The simulated median against the observed hashrate at each quarter end of 2023-2025: the observed
   * value is the difficulty-implied hashrate of the last retarget on or before the quarter end
   * (data/history/observed.csv), the simulated one the median of backtest.csv's row at that date.
   */
  function quarterEnds(): { quarter: string; date: string; observed: number; simulated: number }[] {
    const rows = backtest.filter((r) => r.metric === 'hashrate_ehs');
    const quarters = [2023, 2024, 2025].flatMap((y) => ['03-31', '06-30', '09-30', '12-31'].map((md) => `${y}-${md}`));
    return quarters.map((quarter) => {
      const row = rows.filter((r) => r.date <= quarter).at(-1);
      expect(row, `a scored hashrate observation on or before ${quarter}`).toBeDefined();
      // retargets are about two weeks apart: the one in force is at most a month old
      expect(dayOf(quarter, row!.date), `the retarget in force on ${quarter}`).toBeLessThanOrEqual(31);
      return { quarter, date: row!.date, observed: Number(row!.observed), simulated: Number(row!.sim_median) };
    });
  }

  it('scores the hashrate at all 12 quarter ends of 2023-2025', () => {
    expect(quarterEnds()).toHaveLength(12);
  });

  // Met since machines retire at 7.5 years of age instead of 5 (fleet.lifespanYears: the S9,
  // shipped from June 2016, still mined at scale at the end of 2023; docs/CONFIG.md). 50 replicates:
  // 2023-03-31 -14.6%, 2023-06-30 -13.3%, 2023-09-30 -8.9%, 2023-12-31 -17.8%, 2024-03-31 -18.7%,
  // 2024-06-30 -4.3%, 2024-09-30 -11.2%, 2024-12-31 -16.7%, 2025-03-31 -18.8%, 2025-06-30 -12.6%,
  // 2025-09-30 -20.9% (854.1 against 1,079.8 EH/s), 2025-12-31 -8.6%. With the 5-year life, 8 of
  // the 12 (2024-03-31 -28.1%, 2024-12-31 -25.0%, 2025-03-31 -28.4%, 2025-09-30 -30.7%): the
  // S17 and M20S of 2019 and the S19s of 2020 were retired in 2024-2025 while they still paid, and
  // new machines were valued over 5 years of hashing. Measured at 7 and 8 years too: 12 of 12 at
  // both (worst -23.3% and -21.5%, 2025-09-30). The model is still low throughout (the orders of
  // 2022 wait for the manufacturers' backlog and arrive together in February 2023, departure 20).
  it('simulated median network hashrate within 25% of observed at every quarter end of 2023-2025', () => {
    const misses = quarterEnds().filter((q) => Math.abs(q.simulated / q.observed - 1) > 0.25);
    expect(misses.map((q) => `${q.quarter}: simulated ${q.simulated.toFixed(1)} against observed ${q.observed.toFixed(1)} EH/s`)).toEqual([]);
  });

  // Expected failure. This version (machines retire at 7.5 years): 21 of 110 scored retargets (19%)
  // inside the 90% interval, the others above it (the simulated median is up to 21% low from 2023,
  // see above, and the band, with the price replayed, is narrow). With the 5-year life also 21; the
  // version before it (monthly fees) 23 (21%); the one before it 17 (15%); the one before that 24 (22%).
  it.fails('observed difficulty inside the 90% interval at 80% or more of the retargets', () => {
    const retargets = backtest.filter((r) => r.metric === 'difficulty');
    expect(retargets.length).toBeGreaterThan(100);
    const inside = retargets.filter((r) => r.in90 === 'TRUE').length;
    expect(inside / retargets.length).toBeGreaterThanOrEqual(0.8);
  });
});

describe('halving-2024', () => {
  /** median hashrate (EH/s) by epoch, from epochs.csv */
  let median: number[] = [];
  /** the epoch whose blocks hold the halving (block 840,000) */
  let halvingEpoch = 0;

  beforeAll(async () => {
    const { dir, experiment } = await runEpisode('halving-2024');
    const rows = table(dir, 'epochs.csv').filter((r) => r.metric === 'hashrate_ehs' && r.region === 'network');
    median = rows.map((r) => Number(r.p50));
    // Epoch t >= 1 mines blocks [start + (t - 1) B, start + t B); every replicate starts at the same
    // height, so epoch t is the same blocks in every replicate.
    const { start, protocol } = experiment.model;
    const halving = Math.ceil(start.height / protocol.halvingIntervalBlocks) * protocol.halvingIntervalBlocks;
    halvingEpoch = Math.floor((halving - start.height) / protocol.blocksPerEpoch) + 1;
  }, RUN_TIMEOUT_MS);

  it('the halving at block 840,000 falls in epoch 8 (blocks 838,656-840,671, which closed 2024-04-24), with 12 epochs after it', () => {
    expect(halvingEpoch).toBe(8);
    expect(median.length).toBeGreaterThan(halvingEpoch + 12);
  });

  // "The epoch before it" is the epoch in which the halving falls (two thirds of its blocks at the
  // old subsidy), whose hashrate set the 88.1 T of 2024-04-24; "the 6 epochs after" are the next six,
  // all at the new subsidy (the real cut to 83.1 T came at the close of the first of them).
  // Expected failure. This version (machines retire at 7.5 years, not 5): no dip; the lowest median
  // of epochs 9-14 is 601.4 EH/s (epoch 10), +1.7% over 591.2 in epoch 8 (50 replicates). With the
  // 5-year life and fees replayed day by day (an epoch taking their mean over its
  // 14 days: 0.50 in epoch 8, which holds the Runes launch, 0.13 in epoch 9 and 0.05 in epoch 10,
  // where the monthly rows gave April's 0.19 to epochs 8 and 9): the lowest median of epochs
  // 9-14 was 599.7 EH/s (epoch 10), +1.1% over 593.1 in epoch 8 (with monthly fees +2.1%, 604.6 over
  // 592.3; the version before it, which merged delivered generations when
  // an operator's slots were full: +0.9%, 601.3 over 596.2; the one before it +1.5%, 605.5 over
  // 596.5). Observed: about -10% (639.6 to 578.7 EH/s 7-day hashrate by 2024-05-09). With the
  // delivered generations kept apart, 342 EH/s of machines at 29 J/TH or more remain at the halving
  // (4 replicates; 174 EH/s before), but few stop at the cut: the restart band
  // (operations.restartMarginFraction 0.3) keeps a running machine on until its revenue is below
  // 70% of its power cost (docs/MODEL.md, departure 23). With the band at 0 (an override,
  // 24 replicates, this version) the lowest of epochs 9-14 is 3.6% below epoch 8 (569 against 590
  // EH/s): stopping at break-even alone does not reach 5% either. Stopping running machines at break-even
  // with this merge rule (a diagnostic, not adopted) gave a 5.1% dip (4 replicates) but
  // whole-network stops in 2 of 30 replicates of the reduced
  // baseline of test/model/responses.test.ts, whose price crashes set off period-2 cycles with the
  // difficulty: a stop at break-even needs a damping of those cycles that is not in the model.
  // Measured on earlier versions: only 0.4-3.6% of the delivered fleet cost more than the hashprice
  // in the epochs after the cut (12 replicates, mean); with the band at 0 (50 replicates) epoch 9
  // was still above epoch 8 (593.6 against 586.7 EH/s) and the lowest of epochs 9-14 2.7% below
  // it; and at 0 or 0.1 whole networks of the reduced baseline stop in
  // test/model/responses.test.ts. The same model dips at the 2028 halving of the baseline (-7.5%
  // from epoch 54 to 55 in results/published/baseline-2026).
  it.fails('the lowest median hashrate of the 6 epochs after the halving is at least 5% below the epoch before it', () => {
    const before = median[halvingEpoch];
    const lowest = Math.min(...median.slice(halvingEpoch + 1, halvingEpoch + 7));
    expect(lowest).toBeLessThanOrEqual(0.95 * before);
  });

  // Met, but only because there is no dip to recover from: epoch 9 (603.6 EH/s) is above epoch 8 (591.2).
  it('the median hashrate is back to the pre-halving level within 12 epochs after the halving', () => {
    const before = median[halvingEpoch];
    const after = median.slice(halvingEpoch + 1, halvingEpoch + 13);
    expect(after).toHaveLength(12);
    expect(Math.max(...after)).toBeGreaterThanOrEqual(before);
  });
});
