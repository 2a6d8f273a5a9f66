// A prepared batch: the experiment, its sweep points, the replicated units and their layout.
// Unit u is (point = floor(u / replicates), replicate = u % replicates).
import { dirname, resolve } from 'node:path';
import type { Experiment } from '../config/experiment.ts';
import type { FeePoint, PricePoint } from '../model/params.ts';
import { resolveParams } from '../model/params.ts';
import { seriesKeys } from '../model/metrics.ts';
import type { SeriesKey } from '../model/output.ts';
import { readPricePath } from '../io/price-path.ts';
import { readFeePath } from '../io/fee-path.ts';
import { sweepPoints, applyPoint, type SweepPoint } from './sweep.ts';
import { summaryColumns, type SummaryColumn } from './summary.ts';
import { validateExperiment } from '../config/load.ts';
import { UserError } from '../config/errors.ts';
import { isSensitivity, sensitivityTargets, sweepOptionProblems } from './sensitivity.ts';
import { planObserved, type ObservedPlan } from './observed-plan.ts';
import { checkStart, START_CHECK_MAX_POINTS } from './start-check.ts';

export interface Plan {
  experiment: Experiment;
  pricePath: PricePoint[] | null;
  feePath: FeePoint[] | null;
  points: SweepPoint[];
  replicates: number;
  series: SeriesKey[];
  epochCount: number;
  summary: SummaryColumn[];
  /** the observations the run is scored against (experiment field `observed`); null without */
  observed: ObservedPlan | null;
}

/** Everything a worker needs to run any unit of the plan (structured-clone friendly). */
export interface WorkerPayload {
  experiment: Experiment;
  pricePath: PricePoint[] | null;
  feePath: FeePoint[] | null;
  points: SweepPoint[];
  replicates: number;
  /** test hook: a worker exits (once per marker file) when it reaches this unit */
  killAtUnit?: { unit: number; marker: string };
  /** `run --agents`: the epochs at which every operator's row is taken, and the CSV dialect */
  agents?: { epochs: number[]; excel: boolean; sweeping: boolean };
}

export function makePlan(file: string, experiment: Experiment): Plan {
  const pathCsv = experiment.model.market.price.pathCsv;
  const pricePath = pathCsv ? readPricePath(resolve(dirname(file), pathCsv), `${file}: model.market.price.pathCsv`) : null;
  const feeCsv = experiment.model.market.fees.pathCsv;
  const feePath = feeCsv ? readFeePath(resolve(dirname(file), feeCsv), `${file}: model.market.fees.pathCsv`) : null;
  const points = sweepPoints(experiment);
  let epochCount = -1;
  let series: SeriesKey[] = [];
  for (const point of points) {
    const pe = applyPoint(experiment, point);
    if (point.values.length) {
      const { problems } = validateExperiment(`${file} (sweep point ${point.index})`, pe);
      if (problems.length) throw new UserError(problems[0], problems);
    }
    const params = resolveParams(pe.model, pricePath, feePath);
    if (point.index < START_CHECK_MAX_POINTS) checkStart(point.values.length ? `${file} (sweep point ${point.index})` : file, experiment, point.index, params);
    const keys = seriesKeys(params);
    if (epochCount >= 0 && (params.epochCount + 1 !== epochCount || keys.length !== series.length)) {
      throw new UserError(`${file}: sweep: point ${point.index} changes the horizon or the regions (expected every point to share them)`);
    }
    epochCount = params.epochCount + 1;
    series = keys;
  }
  const optionProblems = sweepOptionProblems(experiment).map((line) => `${file}: ${line}`);
  if (optionProblems.length) throw new UserError(optionProblems[0], optionProblems);
  if (isSensitivity(experiment)) sensitivityTargets(file, experiment, series, epochCount);
  const observed = planObserved(file, experiment, series);
  return { experiment, pricePath, feePath, points, replicates: experiment.replicates, series, epochCount, summary: summaryColumns({ series }), observed };
}

export function unitCount(plan: Pick<Plan, 'points' | 'replicates'>): number {
  return plan.points.length * plan.replicates;
}
