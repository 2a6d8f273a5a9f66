// Sharded batches: `run --shard I/N` runs one contiguous block of the batch's units, fixed by I, N and
// the unit count alone, and writes a shard folder that `merge` (merge.ts) turns into the outputs of
// a single run. A shard folder holds:
//   units.f64       the block's records in unit order: little-endian doubles, the spool's layout
//                   (days elapsed, then every series; record.ts)
//   units.jsonl     one line per unit, in order: {"u":unit,"d":seedDigest,"s":[summary...]}
//   replicates.csv  the block's rows of replicates.csv, for reading
//   manifest.json   the run's manifest with `shard` (index, count, unit range, re-run command) and
//                   the SHA-256 of the three files above
import { join } from 'node:path';
import type { Experiment } from '../config/experiment.ts';
import { UserError, showValue } from '../config/errors.ts';
import type { Plan } from './plan.ts';
import { logLine, type Spool } from './spool.ts';
import { writeReplicates } from './aggregate.ts';
import type { TableFormat } from '../io/table-format.ts';
import { recordDoubles } from './record.ts';
import { openAtomicStream, writeFileAtomic } from '../io/atomic.ts';
import { buildManifest, type Manifest } from '../io/manifest.ts';

export interface ShardSpec {
  /** 0-based shard index */
  index: number;
  /** number of shards */
  count: number;
}

/** A block of units: [first, end). */
export interface UnitRange {
  first: number;
  end: number;
}

export const SHARD_FILES = { records: 'units.f64', log: 'units.jsonl', replicates: 'replicates.csv' } as const;

const SHARD_SYNTAX = 'expected I/N with 0 <= I < N, /N or auto, inside a Slurm job array for the last two';

function slurmInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new UserError(`--shard: environment ${name}: ${showValue(env[name])} is not an integer >= 0`);
  return Number(text);
}

/** The shard index of this task of a Slurm job array: (SLURM_ARRAY_TASK_ID - MIN) / STEP. */
function slurmIndex(value: string, env: NodeJS.ProcessEnv): number {
  const id = slurmInteger(env, 'SLURM_ARRAY_TASK_ID');
  if (id === undefined) throw new UserError(`--shard: ${showValue(value)} needs SLURM_ARRAY_TASK_ID, which is not set (${SHARD_SYNTAX})`);
  const min = slurmInteger(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
  const step = Math.max(1, slurmInteger(env, 'SLURM_ARRAY_TASK_STEP') ?? 1);
  if (id < min || (id - min) % step !== 0) {
    throw new UserError(`--shard: SLURM_ARRAY_TASK_ID: ${id} is not valid (expected SLURM_ARRAY_TASK_MIN ${min} plus a multiple of SLURM_ARRAY_TASK_STEP ${step})`);
  }
  return (id - min) / step;
}

/**
 * Reads `--shard`: `I/N` as given; `/N` takes I from the Slurm array task; `auto` takes I and N
 * from it (SLURM_ARRAY_TASK_ID relative to SLURM_ARRAY_TASK_MIN and _STEP, SLURM_ARRAY_TASK_COUNT).
 */
export function parseShard(value: string, env: NodeJS.ProcessEnv = {}): ShardSpec {
  const text = value.trim();
  let index: number;
  let count: number;
  const explicit = /^(\d*)\/(\d+)$/.exec(text);
  if (explicit) {
    count = Number(explicit[2]);
    index = explicit[1] === '' ? slurmIndex(value, env) : Number(explicit[1]);
  } else if (text === 'auto') {
    const n = slurmInteger(env, 'SLURM_ARRAY_TASK_COUNT');
    if (n === undefined) throw new UserError(`--shard: "auto" needs SLURM_ARRAY_TASK_COUNT, which is not set (${SHARD_SYNTAX})`);
    count = n;
    index = slurmIndex(value, env);
  } else {
    throw new UserError(`--shard: ${showValue(value)} is not valid (${SHARD_SYNTAX})`);
  }
  if (!Number.isSafeInteger(count) || count < 1) throw new UserError(`--shard: ${showValue(value)}: count ${count} is not valid (expected at least 1 shard)`);
  if (!Number.isSafeInteger(index) || index >= count) throw new UserError(`--shard: ${showValue(value)}: index ${index} is not valid (expected 0 <= I < ${count})`);
  return { index, count };
}

/** Shard I of N holds units [floor(I·T/N), floor((I+1)·T/N)): blocks in order, sizes within one. */
export function shardUnits(totalUnits: number, spec: ShardSpec): UnitRange {
  return { first: Math.floor((spec.index * totalUnits) / spec.count), end: Math.floor(((spec.index + 1) * totalUnits) / spec.count) };
}

/** "4-7", "4" or "none" */
export function formatUnits(r: UnitRange): string {
  if (r.end <= r.first) return 'none';
  return r.end - r.first === 1 ? `${r.first}` : `${r.first}-${r.end - 1}`;
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface ShardCommandInput {
  configFile: string;
  replicates: number;
  seed: number;
  excel: boolean;
  trajectories: boolean;
  /** --format of the merged outputs (the shard itself holds records and a replicates.csv) */
  format?: TableFormat;
}

/** The command that runs one shard, with every option that enters the config hash or the outputs. */
export function shardCommand(c: ShardCommandInput, spec: ShardSpec, outDir: string): string {
  const words = ['hashmigrate', 'run', c.configFile, '--replicates', String(c.replicates), '--seed', String(c.seed)];
  if (c.trajectories) words.push('--trajectories');
  if (c.excel) words.push('--excel');
  if (c.format && c.format !== 'csv') words.push('--format', c.format);
  words.push('--shard', `${spec.index}/${spec.count}`, '--out', outDir);
  return words.map(shellWord).join(' ');
}

export interface ShardWriteOptions {
  file: string;
  experiment: Experiment;
  outDir: string;
  excel: boolean;
  trajectories: boolean;
  format?: TableFormat;
  shard: ShardSpec;
  units: UnitRange;
}

/** Writes a finished shard's folder from the spool (records, log, replicates.csv, then manifest). */
export async function writeShard(plan: Plan, spool: Spool, o: ShardWriteOptions): Promise<{ outputs: string[]; manifest: Manifest }> {
  const doubles = recordDoubles(plan.series.length, plan.epochCount);
  const record = new Float64Array(doubles);
  const recordBytes = new Uint8Array(record.buffer);
  const lines: string[] = [];
  // Records stream to disk one unit at a time, so a shard of any size needs one record of memory.
  // The file format is little-endian; a big-endian host would have to swap (none is supported).
  const out = await openAtomicStream(join(o.outDir, SHARD_FILES.records));
  try {
    for (let u = o.units.first; u < o.units.end; u++) {
      const e = spool.entries.get(u);
      if (!e) throw new Error(`unit ${u} is missing from the spool`);
      spool.read(u, 0, doubles, record, 0);
      await out.write(recordBytes);
      lines.push(logLine(e));
    }
    await out.commit();
  } finally {
    await out.abort();
  }
  await writeFileAtomic(join(o.outDir, SHARD_FILES.log), lines.join(''));
  // always CSV: a shard's rows are for reading; the format is the merged run's (manifest options.format)
  await writeReplicates(plan, spool, o.outDir, { excel: o.excel }, o.units);
  const outputs = [SHARD_FILES.replicates, SHARD_FILES.records, SHARD_FILES.log];
  const totalUnits = plan.points.length * plan.replicates;
  const manifest = buildManifest(
    { file: o.file, experiment: o.experiment, replicates: plan.replicates, points: plan.points, excel: o.excel, trajectories: o.trajectories, format: o.format },
    o.outDir,
    outputs,
    {
      shard: {
        index: o.shard.index,
        count: o.shard.count,
        firstUnit: o.units.first,
        endUnit: o.units.end,
        totalUnits,
        command: shardCommand({ configFile: o.file, replicates: plan.replicates, seed: o.experiment.seed, excel: o.excel, trajectories: o.trajectories, format: o.format }, o.shard, o.outDir),
      },
    },
  );
  await writeFileAtomic(join(o.outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { outputs, manifest };
}
