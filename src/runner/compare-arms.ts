// `compare CONFIG...`: runs a base and its arms with common random numbers (one seed, the same
// replicate indices, one horizon) into OUT/arms/<name>/, each a normal run folder with
// trajectories.csv, ready for compareRuns.
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { loadExperiment, validateExperiment } from '../config/load.ts';
import type { Experiment } from '../config/experiment.ts';
import { runBatch } from './batch.ts';
import type { ProgressMode } from './progress.ts';
import { isCalendarDate } from '../config/calendar-date.ts';

export interface ArmRunOptions {
  files: string[];
  outDir: string;
  /** replicates of every arm (default: the base config's) */
  replicates?: number;
  /** root seed of every arm (default: the base config's) */
  seed?: number;
  /** horizon end date of every arm (default: the earliest of the configs') */
  until?: string;
  workers: number;
  progress: ProgressMode;
  force: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** called with each arm's folder once it is written (the CLI writes its report) */
  onArm?: (dir: string) => Promise<void>;
}

export interface PreparedArm {
  file: string;
  experiment: Experiment;
  dir: string;
}


/** The arms' experiments with the shared seed, replicate count and horizon applied, and their folders. */
export function prepareArms(o: Pick<ArmRunOptions, 'files' | 'outDir' | 'replicates' | 'seed' | 'until'>): { arms: PreparedArm[]; seed: number; replicates: number; until: string } {
  if (o.files.length < 2) throw new UserError(`compare: ${o.files.length} config given; expected the base and at least one scenario`);
  const loaded = o.files.map((f) => loadExperiment(f));
  for (const { file, experiment } of loaded) {
    if (experiment.sweep) throw new UserError(`${file}: sweep: compare runs configurations without a sweep (remove it, or compare finished runs of single points)`);
  }
  const base = loaded[0].experiment;
  const start = base.model.start.date;
  for (const { file, experiment } of loaded.slice(1)) {
    if (experiment.model.start.date !== start) {
      throw new UserError(`${file}: model.start.date: "${experiment.model.start.date}" is not pairable (expected the base's ${start}: pairing needs one start date)`);
    }
  }
  if (o.until !== undefined && !isCalendarDate(o.until)) {
    throw new UserError(`compare: --until: ${JSON.stringify(o.until)} is not a date (expected YYYY-MM-DD)`);
  }
  const until = o.until ?? loaded.map((l) => l.experiment.model.horizon.endDate).sort()[0];
  const seed = o.seed ?? base.seed;
  const replicates = o.replicates ?? base.replicates;
  const used = new Map<string, number>();
  const arms = loaded.map(({ file, experiment }) => {
    const e = structuredClone(experiment);
    e.seed = seed;
    e.replicates = replicates;
    e.model.horizon.endDate = until;
    const { problems } = validateExperiment(`${file} (with --until ${until})`, e);
    if (problems.length) throw new UserError(problems[0], problems);
    const k = (used.get(e.name) ?? 0) + 1;
    used.set(e.name, k);
    return { file, experiment: e, dir: join(o.outDir, 'arms', k === 1 ? e.name : `${e.name}-${k}`) };
  });
  return { arms, seed, replicates, until };
}

/** Runs every arm into its folder (with trajectories.csv); returns the folders, base first. */
export async function runArms(o: ArmRunOptions): Promise<{ dirs: string[]; seed: number; replicates: number; until: string }> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prepared = prepareArms(o);
  for (const arm of prepared.arms) {
    log(`[hashmigrate] compare: running ${arm.experiment.name} (${prepared.replicates} replicates, seed ${prepared.seed}, to ${prepared.until}) into ${arm.dir}`);
    await runBatch({
      file: arm.file,
      experiment: arm.experiment,
      outDir: arm.dir,
      workers: o.workers,
      progress: o.progress,
      trajectories: true,
      excel: false,
      force: o.force,
      resume: false,
      signal: o.signal,
      log,
    });
    await o.onArm?.(arm.dir);
  }
  return { dirs: prepared.arms.map((a) => a.dir), seed: prepared.seed, replicates: prepared.replicates, until: prepared.until };
}
