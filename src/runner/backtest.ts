// backtest.csv and backtest-summary.csv: each observation (plan.observed) scored against the
// replicates' values at its date (src/stats/epoch-at-date.ts for the rule, src/stats/score.ts for the
// score), then summed up per series (src/stats/scorecard.ts). Replicates are read from the spool in
// unit order, so both files are the same whatever the worker count, chunking or sharding.
import type { Plan } from './plan.ts';
import type { Spool } from './spool.ts';
import type { ObservedPoint } from './observed-plan.ts';
import { recordDoubles } from './record.ts';
import type { CsvCell } from '../io/csv.ts';
import { writeTable, type TableOptions } from '../io/table.ts';
import { tableColumns } from '../io/datapackage.ts';
import { dayOf } from '../model/time.ts';
import { epochAtDay, OBSERVATION_HOUR_FRACTION } from '../stats/epoch-at-date.ts';
import { scoreObservation, type ObservationScore } from '../stats/score.ts';
import { seriesScorecard } from '../stats/scorecard.ts';
import { applyPoint } from './sweep.ts';
import { regionCell } from '../io/region-cell.ts';

/** The backtest's tables: backtest.csv and backtest-summary.csv (or .parquet). */
export const BACKTEST_TABLES = { points: 'backtest', summary: 'backtest-summary' } as const;
export const BACKTEST_COLUMNS = ['metric', 'region', 'date', 'observed', 'sim_median', 'p05', 'p25', 'p75', 'p95', 'quantile', 'in50', 'in90', 'crps', 'abs_log_error', 'source'] as const;
export const BACKTEST_SUMMARY_COLUMNS = ['metric', 'region', 'n', 'mdale', 'n_log', 'coverage50', 'coverage90', 'crps_mean', 'crps_relative'] as const;
/** Largest sample matrix (observations × replicates) held at once, in doubles. */
const BLOCK_DOUBLES = 4 * 1024 * 1024;

export interface BacktestOutcome {
  /** observation rows scored (summed over sweep points) */
  scored: number;
  /** rows outside the simulated dates: before the start, after the end date, or after some replicate's last close */
  skippedDates: number;
  /** rows of a region or destination the config does not have */
  skippedRegion: number;
}

/** Writes both backtest tables for a plan with observations; returns what was scored and skipped, and the files. */
export async function writeBacktest(plan: Plan, spool: Spool, outDir: string, opts: TableOptions): Promise<{ outcome: BacktestOutcome; files: string[] }> {
  const observed = plan.observed;
  if (!observed) throw new Error('writeBacktest: the plan has no observations');
  const sweeping = plan.experiment.sweep !== undefined;
  const pointCol = sweeping ? ['point'] : [];
  const rows: CsvCell[][] = [];
  const summary: CsvCell[][] = [];
  const E = plan.epochCount;
  const R = plan.replicates;
  const doubles = recordDoubles(plan.series.length, E);
  const record = new Float64Array(doubles);
  let scored = 0;
  let skippedDates = observed.skippedDates * plan.points.length;
  for (const point of plan.points) {
    const start = applyPoint(plan.experiment, point).model.start.date;
    const days = new Float64Array(R * E);
    for (let r = 0; r < R; r++) spool.read(point.index * R + r, 0, E, days, r * E);
    // The epoch of each observation in each replicate; an observation is scored only where every
    // replicate has one, so that all its statistics are over the same R replicates.
    const kept: { obs: ObservedPoint; epochs: Int32Array }[] = [];
    for (const obs of observed.points) {
      const day = dayOf(obs.date, start) + OBSERVATION_HOUR_FRACTION;
      const epochs = new Int32Array(R);
      let covered = true;
      for (let r = 0; r < R && covered; r++) {
        epochs[r] = epochAtDay(days.subarray(r * E, (r + 1) * E), day);
        covered = epochs[r] >= 0;
      }
      if (covered) kept.push({ obs, epochs });
      else skippedDates += 1;
    }
    const scores: ObservationScore[] = [];
    const block = Math.max(1, Math.floor(BLOCK_DOUBLES / R));
    for (let k0 = 0; k0 < kept.length; k0 += block) {
      const k1 = Math.min(kept.length, k0 + block);
      // samples[(k - k0) * R + r]: replicate r's value of observation k
      const samples = new Float64Array((k1 - k0) * R);
      for (let r = 0; r < R; r++) {
        spool.read(point.index * R + r, 0, doubles, record, 0);
        for (let k = k0; k < k1; k++) {
          const { obs, epochs } = kept[k];
          // series s sits after the days block, at (s + 1) * E in the record
          samples[(k - k0) * R + r] = record[(obs.series + 1) * E + epochs[r]];
        }
      }
      for (let k = k0; k < k1; k++) {
        const { obs } = kept[k];
        const label = `${obs.metric}${obs.region ? `[${obs.region}]` : ''} on ${obs.date}${sweeping ? ` of point ${point.index}` : ''}`;
        const s = scoreObservation(samples.subarray((k - k0) * R, (k - k0 + 1) * R), obs.value, label);
        scores.push(s);
        const cells: CsvCell[] = [...(sweeping ? [point.index] : []), obs.metric, regionCell(obs.region), obs.date, obs.value, s.median, s.p05, s.p25, s.p75, s.p95, s.quantile, s.in50, s.in90, s.crps, s.absLogError, obs.source];
        rows.push(cells);
      }
    }
    scored += kept.length;
    // kept is in series order, so each series' observations are one run of it
    for (let k0 = 0; k0 < kept.length; ) {
      let k1 = k0;
      while (k1 < kept.length && kept[k1].obs.series === kept[k0].obs.series) k1++;
      const card = seriesScorecard(scores.slice(k0, k1), kept.slice(k0, k1).map((x) => x.obs.value));
      const { metric, region } = kept[k0].obs;
      summary.push([...(sweeping ? [point.index] : []), metric, regionCell(region), card.n, card.mdale, card.nLog, card.coverage50, card.coverage90, card.crpsMean, card.crpsRelative]);
      k0 = k1;
    }
  }
  const files = [
    await writeTable(outDir, BACKTEST_TABLES.points, [...pointCol, ...BACKTEST_COLUMNS], tableColumns(plan, BACKTEST_TABLES.points), opts, rows),
    await writeTable(outDir, BACKTEST_TABLES.summary, [...pointCol, ...BACKTEST_SUMMARY_COLUMNS], tableColumns(plan, BACKTEST_TABLES.summary), opts, summary),
  ];
  return { outcome: { scored, skippedDates, skippedRegion: observed.skippedRegion * plan.points.length }, files };
}
