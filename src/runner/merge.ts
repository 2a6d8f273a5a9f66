// `merge`: shard folders (shard.ts) back into the outputs of a single run. Every check runs before
// anything is written: one config hash, one shard layout, each shard once, none missing (named with
// the command that runs it), data files intact (sizes, SHA-256, unit log). The shards' units then
// fill a spool in OUT/.partial, and runBatch completes it as a resumed run with nothing left to do,
// so the aggregates come from the same code, in the same unit order, as an unsharded run's.
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Experiment } from '../config/experiment.ts';
import { UserError, showValue } from '../config/errors.ts';
import { issueLine, readJsonFile } from '../config/load.ts';
import { checkInputFiles, checkManifest, sha256, type Manifest, type MergedShard, type ShardManifest } from '../io/manifest.ts';
import { checkOverwrite, lockOutDir, SPOOL_DIR } from '../io/outdir.ts';
import { makePlan, unitCount, type Plan } from './plan.ts';
import { recordDoubles, type UnitResult } from './record.ts';
import { Spool, spoolLayout } from './spool.ts';
import { runBatch, type BatchResult } from './batch.ts';
import { formatUnits, shardCommand, shardUnits, SHARD_FILES, type ShardSpec } from './shard.ts';

export interface MergeOptions {
  dirs: string[];
  outDir: string;
  force: boolean;
  log?: (line: string) => void;
}

export interface MergeResult extends BatchResult {
  shards: LoadedShard[];
}

export interface LoadedShard {
  dir: string;
  manifestFile: string;
  manifestSha256: string;
  manifest: Manifest;
  experiment: Experiment;
  shard: ShardManifest;
}

const count = z.number().int().min(0);
const shardSchema = z.object({
  index: count,
  count: count.min(1),
  firstUnit: count,
  endUnit: count,
  totalUnits: count,
  command: z.string(),
});
/** Reads one shard folder's manifest and checks it on its own. */
export function loadShard(dir: string): LoadedShard {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    const unfinished = existsSync(join(dir, SPOOL_DIR)) ? ' (it holds an unfinished run: complete it with --resume)' : '';
    throw new UserError(`${manifestFile}: missing (expected a shard folder written by hashmigrate run --shard I/N)${unfinished}`);
  }
  const text = readFileSync(manifestFile);
  const raw = readJsonFile(manifestFile) as Record<string, unknown>;
  const { manifest, experiment } = checkManifest(manifestFile, raw);
  if (raw.shard === undefined) throw new UserError(`${manifestFile}: shard: missing (expected a shard folder; this is a finished unsharded run, which needs no merge)`);
  const shard = shardSchema.safeParse(raw.shard);
  if (!shard.success) throw new UserError(issueLine(`${manifestFile}: shard`, raw.shard, shard.error.issues[0]).replace(`${manifestFile}: shard: `, `${manifestFile}: shard.`));
  const s = shard.data;
  if (s.index >= s.count) throw new UserError(`${manifestFile}: shard.index: ${s.index} is not valid (expected 0 <= index < count ${s.count})`);
  const expected = shardUnits(s.totalUnits, s);
  if (s.firstUnit !== expected.first || s.endUnit !== expected.end) {
    throw new UserError(`${manifestFile}: shard: units ${formatUnits({ first: s.firstUnit, end: s.endUnit })} is not valid (expected ${formatUnits(expected)} for shard ${s.index}/${s.count} of ${s.totalUnits} units)`);
  }
  return { dir, manifestFile, manifestSha256: sha256(text), manifest, experiment, shard: s };
}

/** Where a missing shard would go: a sibling's folder with its index replaced, else DIR/../shard-I. */
function guessShardDir(sibling: LoadedShard, index: number): string {
  const base = basename(sibling.dir);
  const own = String(sibling.shard.index);
  const match = [...base.matchAll(/\d+/g)].filter((m) => Number(m[0]) === sibling.shard.index).pop();
  if (match && match.index !== undefined) {
    const width = match[0].length > own.length ? match[0].length : 0;
    const replaced = base.slice(0, match.index) + String(index).padStart(width, '0') + base.slice(match.index + match[0].length);
    return join(dirname(sibling.dir), replaced);
  }
  return join(dirname(sibling.dir), `shard-${index}`);
}

function rerun(ref: LoadedShard, spec: ShardSpec, outDir: string): string {
  const m = ref.manifest;
  return shardCommand({ configFile: m.configFile, replicates: m.replicates, seed: ref.experiment.seed, excel: m.options.excel, trajectories: m.options.trajectories, format: m.options.format }, spec, outDir);
}

/** Checks that the shards are one layout of one config, each once, none missing; returns them in shard order. */
export function checkCoverage(shards: LoadedShard[], totalUnits: number): LoadedShard[] {
  const sorted = [...shards].sort((a, b) => a.shard.index - b.shard.index || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const ref = sorted[0];
  const same = (s: LoadedShard, field: string, value: unknown, expected: unknown, why: string) => {
    if (JSON.stringify(value) !== JSON.stringify(expected)) {
      throw new UserError(`${s.manifestFile}: ${field}: ${JSON.stringify(value)} differs from ${ref.manifestFile} (expected ${JSON.stringify(expected)}: ${why})`);
    }
  };
  for (const s of sorted) {
    same(s, 'configSha256', s.manifest.configSha256, ref.manifest.configSha256, 'shards of one config, seed and replicate count');
    same(s, 'shard.count', s.shard.count, ref.shard.count, 'shards of one --shard I/N layout');
    same(s, 'options', s.manifest.options, ref.manifest.options, 'shards run with the same --excel, --trajectories and --format');
    const sw = (x: LoadedShard) => ({ version: x.manifest.software.version, gitCommit: x.manifest.software.gitCommit, lockfileSha256: x.manifest.software.lockfileSha256 });
    same(s, 'software', sw(s), sw(ref), 'shards run by the same hashmigrate version, commit and dependencies');
    const inputHashes = (x: LoadedShard) => Object.entries(x.manifest.inputs ?? {}).map(([field, f]) => [field, f.sha256]);
    same(s, 'inputs', inputHashes(s), inputHashes(ref), 'shards that read the same input files');
    if (s.shard.totalUnits !== totalUnits) {
      throw new UserError(`${s.manifestFile}: shard.totalUnits: ${s.shard.totalUnits} is not valid (expected ${totalUnits}, the config's points times replicates)`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].shard.index === sorted[i - 1].shard.index) {
      const s = sorted[i].shard;
      throw new UserError(
        `${sorted[i].manifestFile}: shard: ${s.index}/${s.count} (units ${formatUnits({ first: s.firstUnit, end: s.endUnit })}) overlaps ${sorted[i - 1].manifestFile}, the same shard (expected each shard once)`,
      );
    }
  }
  const N = ref.shard.count;
  const present = new Set(sorted.map((s) => s.shard.index));
  const missing: number[] = [];
  for (let i = 0; i < N; i++) if (!present.has(i)) missing.push(i);
  if (missing.length) {
    const what = missing.map((i) => `${i}/${N} (units ${formatUnits(shardUnits(totalUnits, { index: i, count: N }))})`).join(', ');
    const commands = missing.map((i) => rerun(ref, { index: i, count: N }, guessShardDir(ref, i))).join(' ; ');
    throw new UserError(`merge: shard${missing.length > 1 ? 's' : ''} ${what} missing (expected all ${N} of ${N}); run: ${commands}`);
  }
  return sorted;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks that every value of a shard's records is a finite number, as every run writes them: a NaN or
 * an infinity (a file edited along with its hash) would otherwise stop the aggregation half-way.
 */
function checkFiniteRecords(path: string, doubles: number, firstUnit: number, again: string): void {
  const fd = openSync(path, 'r');
  try {
    const batch = Math.max(1, Math.floor((16 << 20) / (doubles * 8)));
    const buf = new Float64Array(batch * doubles);
    const bytes = new Uint8Array(buf.buffer);
    for (let k0 = 0; ; k0 += batch) {
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, k0 * doubles * 8 + got);
        if (n === 0) break;
        got += n;
      }
      const values = got / 8;
      for (let i = 0; i < values; i++) {
        if (!Number.isFinite(buf[i])) {
          const unit = firstUnit + k0 + Math.floor(i / doubles);
          throw new UserError(`${path}: unit ${unit}: value ${i % doubles} of its record is ${buf[i]} (expected finite numbers, as every run writes; ${again})`);
        }
      }
      if (got < bytes.length) return;
    }
  } finally {
    closeSync(fd);
  }
}

/** Checks a shard's data files against its manifest: present, right size, same SHA-256, a well-formed unit log. */
export async function checkShardData(s: LoadedShard, plan: Plan): Promise<void> {
  const n = s.shard.endUnit - s.shard.firstUnit;
  const again = `re-run the shard: ${s.shard.command} --force`;
  for (const name of [SHARD_FILES.records, SHARD_FILES.log]) {
    const want = s.manifest.outputs[name];
    if (want === undefined) throw new UserError(`${s.manifestFile}: outputs.${name}: missing (expected the SHA-256 of the shard's ${name})`);
    const path = join(s.dir, name);
    if (!existsSync(path)) throw new UserError(`${path}: missing (expected the shard's ${name}; ${again})`);
    if (name === SHARD_FILES.records) {
      const bytes = recordDoubles(plan.series.length, plan.epochCount) * 8 * n;
      const size = statSync(path).size;
      if (size !== bytes) throw new UserError(`${path}: ${size} bytes is not valid (expected ${bytes}: ${n} records of ${bytes / Math.max(1, n)} bytes; ${again})`);
    }
    const got = await fileSha256(path);
    if (got !== want) throw new UserError(`${path}: SHA-256 ${got} does not match ${s.manifestFile} (expected ${want}; the file is corrupt or was changed; ${again})`);
  }
  checkFiniteRecords(join(s.dir, SHARD_FILES.records), recordDoubles(plan.series.length, plan.epochCount), s.shard.firstUnit, again);
  const lines = readFileSync(join(s.dir, SHARD_FILES.log), 'utf8').split('\n');
  if (lines.pop() !== '' || lines.length !== n) {
    throw new UserError(`${join(s.dir, SHARD_FILES.log)}: ${lines.length} lines is not valid (expected ${n} complete lines, one per unit ${formatUnits({ first: s.shard.firstUnit, end: s.shard.endUnit })})`);
  }
  lines.forEach((line, k) => {
    const u = s.shard.firstUnit + k;
    let e: { u?: unknown; d?: unknown; s?: unknown } = {};
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      // reported below as a line without the expected unit
    }
    const ok =
      e.u === u &&
      typeof e.d === 'string' &&
      /^[0-9a-f]{64}$/.test(e.d) &&
      Array.isArray(e.s) &&
      e.s.length === plan.summary.length &&
      e.s.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new UserError(`${join(s.dir, SHARD_FILES.log)}: line ${k + 1}: ${showValue(line)} is not valid (expected {"u":${u},"d":seed digest,"s":[${plan.summary.length} numbers]})`);
  });
}

/** Copies a shard's units into the spool, a few records at a time. */
function copyShard(s: LoadedShard, spool: Spool, doubles: number): void {
  const entries = readFileSync(join(s.dir, SHARD_FILES.log), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { u: number; d: string; s: number[] });
  const fd = openSync(join(s.dir, SHARD_FILES.records), 'r');
  try {
    const batch = Math.max(1, Math.floor((16 << 20) / (doubles * 8)));
    for (let k0 = 0; k0 < entries.length; k0 += batch) {
      const k1 = Math.min(entries.length, k0 + batch);
      const buf = new Float64Array((k1 - k0) * doubles);
      const bytes = new Uint8Array(buf.buffer);
      for (let off = 0; off < bytes.length; ) {
        const got = readSync(fd, bytes, off, bytes.length - off, k0 * doubles * 8 + off);
        if (got === 0) throw new Error(`${join(s.dir, SHARD_FILES.records)}: ended early`);
        off += got;
      }
      const results: UnitResult[] = [];
      for (let k = k0; k < k1; k++) {
        const e = entries[k];
        results.push({ unit: e.u, seedDigest: e.d, summary: e.s, record: buf.subarray((k - k0) * doubles, (k - k0 + 1) * doubles) });
      }
      spool.write(results);
    }
  } finally {
    closeSync(fd);
  }
}

/** Merges shard folders into `outDir`: the same epochs.csv, replicates.csv, points.csv and manifest outputs as one run. */
export async function mergeShards(o: MergeOptions): Promise<MergeResult> {
  if (o.dirs.length === 0) throw new UserError('merge: no shard folders given (expected SHARD_DIR...)');
  const out = resolve(o.outDir);
  for (const d of o.dirs) {
    if (resolve(d) === out) throw new UserError(`--out: ${showValue(o.outDir)} is not valid (expected a folder other than the shard folders)`);
  }
  const loaded = o.dirs.map(loadShard);
  const ref = loaded[0];
  const plan = makePlan(ref.manifest.configFile, ref.experiment);
  const shards = checkCoverage(loaded, unitCount(plan));
  for (const s of shards) await checkShardData(s, plan);
  checkInputFiles(shards[0].manifestFile, shards[0].manifest);

  checkOverwrite(o.outDir, o.force, false);
  const first = shards[0];
  const created = !existsSync(o.outDir);
  const release = lockOutDir(o.outDir);
  const spoolDir = join(o.outDir, SPOOL_DIR);
  let failed = false;
  try {
    const doubles = recordDoubles(plan.series.length, plan.epochCount);
    const spool = Spool.open(spoolDir, spoolLayout(plan), true);
    try {
      for (const s of shards) copyShard(s, spool, doubles);
    } finally {
      spool.close();
    }
    const mergedFrom: MergedShard[] = shards.map((s) => ({
      dir: s.dir,
      index: s.shard.index,
      count: s.shard.count,
      firstUnit: s.shard.firstUnit,
      endUnit: s.shard.endUnit,
      manifestSha256: s.manifestSha256,
    }));
    const result = await runBatch({
      file: first.manifest.configFile,
      experiment: first.experiment,
      outDir: o.outDir,
      workers: 1,
      progress: 'none',
      trajectories: first.manifest.options.trajectories,
      excel: first.manifest.options.excel,
      format: first.manifest.options.format,
      force: false,
      resume: true,
      // every unit is in the shards already: nothing runs, whatever the estimate of running them
      allowLarge: true,
      // the numbers come from the shards, so the manifest names the software that ran them
      manifestFields: { mergedFrom, software: first.manifest.software },
      log: o.log ?? (() => {}),
    });
    return { ...result, shards };
  } catch (err) {
    failed = true;
    rmSync(spoolDir, { recursive: true, force: true });
    throw err;
  } finally {
    release();
    // a folder this merge made and could not fill is not left behind empty
    if (failed && created) rmdirQuietly(o.outDir);
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (something was written after all) or already gone: leave it
  }
}
