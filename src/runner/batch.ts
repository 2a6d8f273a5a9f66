// A Monte Carlo batch: units spread over worker threads, spooled to disk as they finish, then
// aggregated into epochs.csv, replicates.csv (and points.csv for a sweep), or the same tables as
// Parquet (--format parquet), with a datapackage and a manifest.
// Outputs are written atomically; a stopped run leaves only its spool, from which --resume goes on.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../config/experiment.ts';
import { makePlan, unitCount, type Plan, type WorkerPayload } from './plan.ts';
import { Spool, spoolLayout } from './spool.ts';
import { decodeRecord, recordDoubles, type UnitResult } from './record.ts';
import { bootstrapWorker, chunkReplicates, runPool, ReplicateFailure, formatReplicates } from './pool.ts';
import { createProgress, type ProgressMode } from './progress.ts';
import { writeEpochs, writePoints, writeReplicates } from './aggregate.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { TRAJECTORY_HEADER, forEachTrajectoryRow } from '../io/trajectory.ts';
import { openTable, type TableOptions } from '../io/table.ts';
import { DEFAULT_TABLE_FORMAT, TABLE_FORMATS, tableFile, type TableFormat } from '../io/table-format.ts';
import { checkOverwrite, lockOutDir, SPOOL_DIR } from '../io/outdir.ts';
import { asIoError, IoError, withResumeHint } from '../io/io-error.ts';
import { checkDiskSpace, diskNeed } from './disk-budget.ts';
import { checkRunSize } from './estimate.ts';
import { removeReport } from '../report/report-files.ts';
import { AgentsSpool, checkAgentEpochs } from './agents-spool.ts';
import { UserError } from '../config/errors.ts';
import { buildManifest, type Manifest } from '../io/manifest.ts';
import { applyPoint } from './sweep.ts';
import { shardUnits, writeShard, type ShardSpec } from './shard.ts';
import { dataPackage, TABLE_NAMES, tableColumns } from '../io/datapackage.ts';
import { isSensitivity, writeSensitivity } from './sensitivity.ts';
import { writeBacktest, type BacktestOutcome } from './backtest.ts';

export interface BatchOptions {
  file: string;
  experiment: Experiment;
  outDir: string;
  workers: number;
  chunkSize?: number;
  progress: ProgressMode;
  trajectories: boolean;
  excel: boolean;
  /** the tables' format: csv (default) or parquet (`run --format`) */
  format?: TableFormat;
  force: boolean;
  resume: boolean;
  signal?: AbortSignal;
  /** run only this shard's block of units and write a shard folder (shard.ts) instead of the aggregates */
  shard?: ShardSpec;
  /** manifest fields set by `merge`: mergedFrom, and the software that ran the shards */
  manifestFields?: Pick<Manifest, 'mergedFrom' | 'software'>;
  /** test hook: a worker dies once when it reaches this unit */
  killAtUnit?: { unit: number; marker: string };
  /** `--agents`: epochs at which every operator's row goes to agents.csv (agents-spool.ts) */
  agents?: number[];
  /** run even when the estimate says the run is large (estimate.ts); one beyond the machine's memory is refused anyway */
  allowLarge?: boolean;
  /** the memory the estimate is checked against (default: the machine's, or its cgroup limit) */
  memoryBytes?: number;
  log?: (line: string) => void;
}

export interface BatchResult {
  plan: Plan;
  outputs: string[];
  manifest: Manifest;
  /** what the backtest scored and skipped, for a config with `observed` (not for a shard) */
  backtest?: BacktestOutcome;
}

/** The worker entry: the compiled bundle's sibling, or the TypeScript source through the bootstrap. */
function workerEntry(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./worker.ts', here) : new URL('./worker.mjs', here);
}

/** How to start a worker for a payload: the bundle's worker directly, or the source through tsx. */
export function workerBoot(payload: WorkerPayload): { workerUrl: URL; workerData: unknown } {
  const entry = workerEntry();
  return entry.pathname.endsWith('.ts') ? bootstrapWorker(entry, payload) : { workerUrl: entry, workerData: { entry: entry.href, data: payload } };
}

/** Chunks big enough to amortise a round trip, small enough for 8 chunks per worker. */
export function defaultChunkSize(units: number, workers: number): number {
  return Math.max(1, Math.min(25, Math.ceil(units / (workers * 8))));
}

/** Writes trajectories.csv (or .parquet) from the spool, one replicate at a time; returns its file name. */
async function writeTrajectories(plan: Plan, spool: Spool, outDir: string, opts: TableOptions): Promise<string> {
  const sweeping = plan.experiment.sweep !== undefined;
  const out = await openTable(outDir, 'trajectories', [...(sweeping ? ['point'] : []), 'replicate', ...TRAJECTORY_HEADER], tableColumns(plan, 'trajectories'), opts);
  const E = plan.epochCount;
  const record = new Float64Array(recordDoubles(plan.series.length, E));
  const add = out.add.bind(out);
  try {
    for (const point of plan.points) {
      const start = applyPoint(plan.experiment, point).model.start.date;
      for (let r = 0; r < plan.replicates; r++) {
        spool.read(point.index * plan.replicates + r, 0, record.length, record, 0);
        forEachTrajectoryRow(decodeRecord(record, plan.series, E), start, [...(sweeping ? [point.index] : []), r], add);
        await out.flush();
      }
    }
    await out.commit();
  } finally {
    await out.abort();
  }
  return out.file;
}

/** The folder inside the spool where the outputs are written before they are moved into --out. */
const STAGE_DIR = 'outputs';

/**
 * Runs `write` (which writes outputs into `stageDir`); an I/O error it throws names the file in
 * `outDir` it was writing for, not the staged copy.
 */
async function stagedErrors<T>(stageDir: string, outDir: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof IoError)) throw err;
    const staged = join(stageDir, '_').slice(0, -1);
    throw new IoError(err.message.split(staged).join(join(outDir, '_').slice(0, -1)), err.code);
  }
}

export async function runBatch(o: BatchOptions): Promise<BatchResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const plan = makePlan(o.file, o.experiment);
  const format = o.format ?? DEFAULT_TABLE_FORMAT;
  if (o.excel && format !== 'csv') throw new UserError(`--excel is not valid with --format ${format} (expected --format csv: --excel shapes CSV for spreadsheets)`);
  // Before anything is written: a run beyond the machine is refused with no output folder (on a
  // resume the estimate counts every unit, the finished ones too, as the spool is not open yet).
  const agentEpochs = o.agents?.length ? o.agents : undefined;
  if (agentEpochs) {
    if (o.shard) throw new UserError(`${o.file}: --agents is not valid with --shard (expected a run of every replicate; a shard folder holds records only)`);
    checkAgentEpochs(o.file, plan, agentEpochs);
  }
  const planned = o.shard ? shardUnits(unitCount(plan), o.shard) : { first: 0, end: unitCount(plan) };
  checkRunSize(o.file, plan, planned.end - planned.first, o.workers, { allowLarge: o.allowLarge ?? false, memoryBytes: o.memoryBytes, log });
  checkOverwrite(o.outDir, o.force, o.resume);
  const release = lockOutDir(o.outDir);
  try {
    const spoolDir = join(o.outDir, SPOOL_DIR);
    const spool = Spool.open(spoolDir, spoolLayout(plan), !o.resume);
    /** the outputs of this run once it starts writing them; on a failure they are removed with the manifest */
    let outputsOfRun: string[] | undefined;
    try {
      if (spool.dropped.length) log(`[hashmigrate] ${spool.dropped.length} spooled replicate${spool.dropped.length > 1 ? 's' : ''} failed ${spool.dropped.length > 1 ? 'their' : 'its'} checks (damaged or cut short) and run${spool.dropped.length > 1 ? '' : 's'} again: units ${formatReplicates(spool.dropped)}`);
      const range = o.shard ? shardUnits(unitCount(plan), o.shard) : { first: 0, end: unitCount(plan) };
      const total = range.end - range.first;
      const agents = agentEpochs ? AgentsSpool.open(spoolDir, agentEpochs) : undefined;
      const todo: number[] = [];
      // a finished unit whose agents' rows are missing runs again for them (its record is kept)
      for (let u = range.first; u < range.end; u++) if (!spool.entries.has(u) || (agents && !agents.has(u))) todo.push(u);
      if (o.resume && todo.length < total) log(`[hashmigrate] resuming: ${total - todo.length} of ${total} replicates already done`);
      checkDiskSpace(o.outDir, diskNeed(plan, todo.length, { trajectories: o.trajectories, shardUnits: o.shard ? total : undefined }));
      if (todo.length > 0) {
        const workers = Math.max(1, Math.min(o.workers, todo.length));
        const tasks = chunkReplicates(todo, o.chunkSize ?? defaultChunkSize(todo.length, workers));
        const payload: WorkerPayload = {
          experiment: o.experiment,
          pricePath: plan.pricePath,
          feePath: plan.feePath,
          points: plan.points,
          replicates: plan.replicates,
          killAtUnit: o.killAtUnit,
          ...(agentEpochs ? { agents: { epochs: agentEpochs, excel: o.excel, sweeping: plan.experiment.sweep !== undefined } } : {}),
        };
        const boot = workerBoot(payload);
        const counter = new Int32Array(new SharedArrayBuffer(4));
        const bar = createProgress(o.progress, todo.length);
        const timer = setInterval(() => bar.update(Atomics.load(counter, 0)), 250);
        const describeUnits = (units: number[]) => {
          const reps = [...new Set(units.map((u) => u % plan.replicates))];
          const points = [...new Set(units.map((u) => Math.floor(u / plan.replicates)))];
          return `replicate${reps.length > 1 ? 's' : ''} ${formatReplicates(reps)}${plan.experiment.sweep ? ` of point${points.length > 1 ? 's' : ''} ${formatReplicates(points)}` : ''}`;
        };
        try {
          await runPool<UnitResult>(tasks, {
            workerUrl: boot.workerUrl,
            workerData: boot.workerData,
            workers,
            progress: counter,
            signal: o.signal,
            onResult: (_task, results) => {
              // the rows first: a unit the spool marks done has them
              if (agents) for (const r of results) agents.write(r.unit, r.agentsCsv ?? '');
              const fresh = results.filter((r) => !spool.entries.has(r.unit));
              if (fresh.length) spool.write(fresh);
            },
            rerunHint: (units) =>
              `seed ${o.experiment.seed}; re-run one alone with: hashmigrate simulate ${o.file} --replicate ${units[0] % plan.replicates}${plan.experiment.sweep ? ` --point ${Math.floor(units[0] / plan.replicates)}` : ''} --seed ${o.experiment.seed}`,
          });
          bar.update(todo.length);
        } catch (err) {
          if (err instanceof ReplicateFailure) {
            throw new ReplicateFailure(err.message.replace(/replicates? [0-9, -]+/, describeUnits(err.replicates)), {
              replicates: err.replicates,
              kind: err.kind,
              attempts: err.attempts,
              cause: err.cause,
            });
          }
          throw err;
        } finally {
          clearInterval(timer);
          bar.stop();
        }
      }

      if (o.shard) {
        const written = await writeShard(plan, spool, { ...o, shard: o.shard, units: range });
        spool.close();
        rmSync(spoolDir, { recursive: true, force: true });
        return { plan, ...written };
      }
      const tables: TableOptions = { excel: o.excel, format };
      const outputs = [tableFile('epochs', format), tableFile('replicates', format)];
      outputsOfRun = outputs;
      o.signal?.throwIfAborted();
      // No manifest while the outputs change: a folder with one always holds the files it describes.
      rmSync(join(o.outDir, 'manifest.json'), { force: true });
      // nor a report drawn from the outputs being replaced (`--no-report` would otherwise leave it)
      removeReport(o.outDir);
      // The outputs are written into the spool folder first and moved into place only once all of them
      // (the manifest too) are complete, manifest last: a process killed while they are written (SIGKILL,
      // which nothing can clean up after) leaves only the spool, never outputs that look finished.
      const stageDir = join(spoolDir, STAGE_DIR);
      rmSync(stageDir, { recursive: true, force: true });
      mkdirSync(stageDir);
      const published = await stagedErrors(stageDir, o.outDir, async () => {
        await writeEpochs(plan, spool, stageDir, tables);
        await writeReplicates(plan, spool, stageDir, tables);
        if (plan.experiment.sweep) {
          outputs.push(await writePoints(plan, spool, stageDir, tables));
          if (isSensitivity(plan.experiment)) outputs.push(await writeSensitivity(plan, spool, stageDir, tables));
        }
        let backtest: BacktestOutcome | undefined;
        if (plan.observed) {
          const written = await writeBacktest(plan, spool, stageDir, tables);
          backtest = written.outcome;
          outputs.push(...written.files);
        }
        if (agents) outputs.push(await agents.writeTable(plan, stageDir, tables));
        if (o.trajectories) outputs.push(await writeTrajectories(plan, spool, stageDir, tables));
        // no table of an earlier, replaced run stays beside these (another format, or one not asked for now)
        for (const name of TABLE_NAMES) {
          for (const f of TABLE_FORMATS) if (!outputs.includes(tableFile(name, f))) rmSync(join(o.outDir, tableFile(name, f)), { force: true });
        }
        await writeFileAtomic(join(stageDir, 'datapackage.json'), JSON.stringify(dataPackage(plan, outputs, { excel: o.excel, format }), null, 2) + '\n');
        outputs.push('datapackage.json');
        const manifest = buildManifest(
          { file: o.file, experiment: o.experiment, replicates: plan.replicates, points: plan.points, excel: o.excel, trajectories: o.trajectories, agents: agentEpochs, format },
          stageDir,
          outputs,
          o.manifestFields,
        );
        // Ctrl-C while the outputs were written: stop before the manifest makes them look finished.
        o.signal?.throwIfAborted();
        await writeFileAtomic(join(stageDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
        return { backtest, manifest };
      });
      const { backtest, manifest } = published;
      o.signal?.throwIfAborted();
      for (const name of [...outputs, 'manifest.json']) {
        try {
          renameSync(join(stageDir, name), join(o.outDir, name));
        } catch (err) {
          throw asIoError('write', join(o.outDir, name), err);
        }
      }
      spool.close();
      rmSync(spoolDir, { recursive: true, force: true });
      return { plan, outputs, manifest, ...(backtest ? { backtest } : {}) };
    } catch (err) {
      spool.close();
      if (!outputsOfRun) throw err;
      // A run that failed while writing its outputs leaves none that could pass for complete results.
      for (const name of new Set([...outputsOfRun, 'datapackage.json', 'manifest.json'])) {
        try {
          rmSync(join(o.outDir, name), { force: true });
        } catch {
          // not a file of ours (a folder in its place): the error below names it
        }
      }
      throw withResumeHint(err, spoolDir);
    }
  } finally {
    release();
  }
}
