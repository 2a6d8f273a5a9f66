// sensitivity.csv of a Morris or Sobol sweep: each point's output is the mean across its replicates
// of a series at one epoch (the last by default); the indices come from src/stats/sensitivity-*.ts,
// their bootstrap intervals from a stream seeded by the root seed. Tidy: one row per output series,
// parameter and index.
import { fsum } from 'd3-array';
import { UserError } from '../config/errors.ts';
import type { Experiment } from '../config/experiment.ts';
import type { SeriesKey } from '../model/output.ts';
import type { CsvCell } from '../io/csv.ts';
import { writeTable, type TableOptions } from '../io/table.ts';
import { tableColumns } from '../io/datapackage.ts';
import { morrisIndices } from '../stats/sensitivity-morris.ts';
import { sobolIndices } from '../stats/sensitivity-sobol.ts';
import { DEFAULT_BOOTSTRAP, designStream, sensitivityDesign } from './designs.ts';
import type { Plan } from './plan.ts';
import type { Spool } from './spool.ts';
import { regionCell } from '../io/region-cell.ts';

/** The series analysed when `outputs` is not given: the key network metrics. */
export const DEFAULT_SENSITIVITY_OUTPUTS = ['hashrate_ehs', 'hhi_region', 'nakamoto_region', 'top3_share_region', 'hhi_operator', 'nakamoto_operator'];

export const SENSITIVITY_COLUMNS = ['design', 'metric', 'region', 'epoch', 'parameter', 'index', 'value', 'ci95_low', 'ci95_high'] as const;

export function isSensitivity(e: Experiment): boolean {
  return e.sweep?.design === 'morris' || e.sweep?.design === 'sobol';
}

/** The analysed series as indices into `series`, and the epoch; a UserError for an unknown one. */
export function sensitivityTargets(file: string, e: Experiment, series: SeriesKey[], epochCount: number): { outputs: { key: SeriesKey; index: number }[]; epoch: number } {
  const sweep = e.sweep!;
  const names = sweep.outputs ?? DEFAULT_SENSITIVITY_OUTPUTS;
  const outputs = names.map((name, i) => {
    const [metric, region = ''] = name.split(':');
    const index = series.findIndex((s) => s.metric === metric && s.region === region);
    if (index < 0) {
      const metrics = [...new Set(series.map((s) => s.metric))];
      throw new UserError(`${file}: sweep.outputs[${i}]: "${name}" is not a series (expected "metric" or "metric:region", metric one of ${metrics.slice(0, 8).join(', ')}, ... as in docs/OUTPUTS.md)`);
    }
    return { key: series[index], index };
  });
  const epoch = sweep.epoch ?? epochCount - 1;
  if (epoch >= epochCount) throw new UserError(`${file}: sweep.epoch: ${epoch} is not valid (expected at most ${epochCount - 1}, the last epoch of the horizon)`);
  return { outputs, epoch };
}

/** Options that only a design uses, given with another: one line each. */
export function sweepOptionProblems(e: Experiment): string[] {
  const s = e.sweep;
  if (!s) return [];
  const problems: string[] = [];
  if (s.levels !== undefined && s.design !== 'morris') problems.push(`sweep.levels: ${s.levels} is not valid (expected only with "design": "morris")`);
  if (!isSensitivity(e)) {
    for (const key of ['bootstrap', 'outputs', 'epoch'] as const) {
      if (s[key] !== undefined) problems.push(`sweep.${key}: ${JSON.stringify(s[key])} is not valid (expected only with "design": "morris" or "sobol")`);
    }
  }
  return problems;
}

/** Each point's output: the mean across its replicates of series `s` at epoch `e`, read from the spool. */
function pointOutputs(plan: Plan, spool: Spool, s: number, e: number): Float64Array {
  const R = plan.replicates;
  const E = plan.epochCount;
  const y = new Float64Array(plan.points.length);
  const reps = new Float64Array(R);
  const one = new Float64Array(1);
  for (const point of plan.points) {
    for (let r = 0; r < R; r++) {
      spool.read(point.index * R + r, (s + 1) * E + e, 1, one, 0);
      reps[r] = one[0];
    }
    y[point.index] = fsum(reps) / R;
  }
  return y;
}

/** The rows of sensitivity.csv. */
export function sensitivityRows(plan: Plan, spool: Spool): CsvCell[][] {
  const e = plan.experiment;
  const sweep = e.sweep!;
  const { outputs, epoch } = sensitivityTargets('config', e, plan.series, plan.epochCount);
  const k = sweep.parameters.length;
  const resamples = sweep.bootstrap ?? DEFAULT_BOOTSTRAP;
  const design = sensitivityDesign(e);
  const rows: CsvCell[][] = [];
  outputs.forEach(({ key, index }) => {
    const y = pointOutputs(plan, spool, index, epoch);
    // one bootstrap stream per output, so adding an output leaves the others' intervals unchanged
    const boot = designStream(e.seed, `sensitivity-bootstrap\u0000${key.metric}\u0000${key.region}`);
    const uniform = () => boot.uniform();
    const prefix = [sweep.design, key.metric, regionCell(key.region), epoch];
    if (sweep.design === 'morris') {
      for (const m of morrisIndices(design.morris!, y, k, resamples, uniform)) {
        const parameter = sweep.parameters[m.parameter].path;
        rows.push([...prefix, parameter, 'mu', m.mu, null, null]);
        rows.push([...prefix, parameter, 'mu_star', m.muStar, resamples ? m.muStarLow : null, resamples ? m.muStarHigh : null]);
        rows.push([...prefix, parameter, 'sigma', m.sigma, null, null]);
      }
    } else {
      for (const s of sobolIndices(y, k, sweep.points, resamples, uniform)) {
        const parameter = sweep.parameters[s.parameter].path;
        rows.push([...prefix, parameter, 'S1', s.s1, resamples ? s.s1Low : null, resamples ? s.s1High : null]);
        rows.push([...prefix, parameter, 'ST', s.st, resamples ? s.stLow : null, resamples ? s.stHigh : null]);
      }
    }
  });
  return rows;
}

/** Writes sensitivity.csv (or .parquet); returns its file name. */
export async function writeSensitivity(plan: Plan, spool: Spool, outDir: string, opts: TableOptions): Promise<string> {
  return writeTable(outDir, 'sensitivity', SENSITIVITY_COLUMNS, tableColumns(plan, 'sensitivity'), opts, sensitivityRows(plan, spool));
}
