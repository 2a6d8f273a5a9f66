// Provenance of a run: the resolved config and its hash (canonical JSON, RFC 8785), the seed scheme,
// the design, the software and platform, and the SHA-256 of every output file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { UserError, showValue } from '../config/errors.ts';
import { issueLine, readJsonFile, validateExperiment } from '../config/load.ts';
import type { Experiment } from '../config/experiment.ts';
import { SEED_SCHEME, STREAM_NAMES } from '../model/rng.ts';
import type { SweepPoint } from '../runner/sweep.ts';
import { TABLE_FORMATS, type TableFormat } from './table-format.ts';

export const MANIFEST_VERSION = 1;

export interface Manifest {
  manifestVersion: number;
  name: string;
  question: string;
  description: string;
  config: Experiment;
  configSha256: string;
  configFile: string;
  /** data files the config names (a replayed price path, observed series), with their SHA-256; paths as the run resolved them */
  inputs?: Record<string, { path: string; sha256: string }>;
  seedScheme: { scheme: string; streams: readonly string[]; rootSeed: number; seedOf: string };
  replicates: number;
  sweep: { design: string; points: SweepPoint[]; independentStreams: boolean } | null;
  /** agents: the epochs of `run --agents` (absent without it); format: `run --format parquet` (absent for CSV) */
  options: { excel: boolean; trajectories: boolean; agents?: number[]; format?: TableFormat };
  software: { name: string; version: string; gitCommit: string; gitDirty: boolean | null; lockfileSha256: string; node: string; v8: string; platform: string; arch: string };
  outputs: Record<string, string>;
  /** a shard folder (`run --shard I/N`): which block of units it holds (src/runner/shard.ts) */
  shard?: ShardManifest;
  /** a merged folder (`merge`): the shards it was built from, in shard order (src/runner/merge.ts) */
  mergedFrom?: MergedShard[];
  /** a `simulate` folder: the one replicate (and sweep point, null without a sweep) in trajectory.csv */
  simulate?: { replicate: number; point: number | null; seedDigest: string };
}

/** The `shard` field of a shard folder's manifest. Unit u is point * replicates + replicate. */
export interface ShardManifest {
  index: number;
  count: number;
  /** the block of units this shard holds: [firstUnit, endUnit) of totalUnits */
  firstUnit: number;
  endUnit: number;
  totalUnits: number;
  /** the command that runs this shard again */
  command: string;
}

/** One entry of a merged manifest's `mergedFrom`. */
export interface MergedShard {
  dir: string;
  index: number;
  count: number;
  firstUnit: number;
  endUnit: number;
  /** SHA-256 of the shard's manifest.json, which holds the hashes of its data files */
  manifestSha256: string;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function configHash(e: Experiment): string {
  return sha256(canonicalize(e) ?? '');
}

function packageRoot(): string {
  // Source tree (src/io) and bundle (dist) both sit one or two levels below the package root.
  for (const dir of [ROOT, join(dirname(fileURLToPath(import.meta.url)), '..')]) if (existsSync(join(dir, 'package.json'))) return dir;
  return ROOT;
}

/** True when tracked files differ from the commit (the run's code is then not exactly gitCommit); null outside git. */
function gitDirty(root: string): boolean | null {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
  } catch {
    return null;
  }
}

function gitCommit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

function packageJson(root: string): { name: string; version: string } {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
}

let version: string | undefined;
/** This software's version, from its package.json (read once). */
export function packageVersion(): string {
  return (version ??= packageJson(packageRoot()).version);
}

export function softwareInfo(): Manifest['software'] {
  const root = packageRoot();
  const pkg = packageJson(root);
  const lock = join(root, 'package-lock.json');
  return {
    name: pkg.name,
    version: pkg.version,
    gitCommit: gitCommit(root),
    gitDirty: gitDirty(root),
    lockfileSha256: existsSync(lock) ? sha256(readFileSync(lock)) : 'unknown',
    node: process.versions.node,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
  };
}

export function seedSchemeOf(rootSeed: number): Manifest['seedScheme'] {
  return {
    scheme: SEED_SCHEME,
    streams: STREAM_NAMES,
    rootSeed,
    seedOf: 'sha256(scheme NUL rootSeed NUL replicate [NUL point=P when sweep points draw independent streams] NUL stream) as hex, fed to seedrandom.xor4096',
  };
}

/** The data files a config reads besides itself (replayed price and fee paths, observed series), by their config field. */
export function inputFiles(configFile: string, e: Experiment): Manifest['inputs'] {
  const inputs: NonNullable<Manifest['inputs']> = {};
  const files: [string, string | null | undefined][] = [
    ['model.market.price.pathCsv', e.model.market.price.pathCsv],
    ['model.market.fees.pathCsv', e.model.market.fees.pathCsv],
    ['observed', e.observed],
  ];
  for (const [field, pathCsv] of files) {
    if (!pathCsv) continue;
    const path = resolve(dirname(configFile), pathCsv);
    inputs[field] = { path: relative(process.cwd(), path) || path, sha256: sha256(readFileSync(path)) };
  }
  return inputs;
}

/** The manifest of a run (or shard) whose outputs are in `dir`; `extra` adds shard or merge fields. */
export function buildManifest(
  run: { file: string; experiment: Experiment; replicates: number; points: SweepPoint[]; excel: boolean; trajectories: boolean; agents?: number[]; format?: TableFormat },
  dir: string,
  outputs: string[],
  extra: Partial<Manifest> = {},
): Manifest {
  const e = run.experiment;
  return {
    manifestVersion: MANIFEST_VERSION,
    name: e.name,
    question: e.question,
    description: e.description,
    config: e,
    configSha256: configHash(e),
    configFile: run.file,
    inputs: inputFiles(run.file, e),
    seedScheme: seedSchemeOf(e.seed),
    replicates: run.replicates,
    sweep: e.sweep ? { design: e.sweep.design, points: run.points, independentStreams: e.sweep.independentStreams } : null,
    // a CSV run's options read as they did before --format existed
    options: { excel: run.excel, trajectories: run.trajectories, ...(run.agents?.length ? { agents: run.agents } : {}), ...(run.format && run.format !== 'csv' ? { format: run.format } : {}) },
    software: softwareInfo(),
    outputs: hashOutputs(dir, outputs),
    ...extra,
  };
}

/** Hashes of output files, by name, in name order. */
export function hashOutputs(dir: string, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) out[name] = sha256(readFileSync(join(dir, name)));
  return out;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 as 64 lowercase hex digits');

/** An output's name: a file in the run's own folder (not "." or "..", no separator). */
const OUTPUT_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

/** What a manifest must hold to be reproduced; fields added by later versions are let through. */
export const manifestSchema = z.looseObject({
  manifestVersion: z.literal(MANIFEST_VERSION),
  name: z.string(),
  config: z.unknown(),
  configSha256: hex64,
  configFile: z.string(),
  inputs: z.record(z.string(), z.strictObject({ path: z.string(), sha256: hex64 })).default({}),
  seedScheme: z.looseObject({ scheme: z.string(), rootSeed: z.number().int().min(0) }),
  replicates: z.number().int().min(1),
  options: z.looseObject({ excel: z.boolean(), trajectories: z.boolean(), agents: z.array(z.number().int().min(0)).optional(), format: z.enum(TABLE_FORMATS).optional() }),
  software: z.looseObject({ name: z.string(), version: z.string(), gitCommit: z.string(), node: z.string(), v8: z.string(), platform: z.string() }),
  outputs: z.record(z.string().regex(OUTPUT_NAME, 'expected a plain file name'), hex64),
});

/**
 * Checks a manifest already read from `file`: the fields reproduction and merging need, a config
 * that passes the schema, and a config hash that matches that config (a mismatch means the file was
 * edited), with the seed and replicate count of that config.
 */
export function checkManifest(file: string, raw: unknown): { manifest: Manifest; experiment: Experiment } {
  const outputs = (raw as { outputs?: unknown } | null)?.outputs;
  if (typeof outputs === 'object' && outputs !== null) {
    const bad = Object.keys(outputs).find((name) => !OUTPUT_NAME.test(name));
    if (bad !== undefined) throw new UserError(`${file}: outputs: key ${showValue(bad)} is not valid (expected the plain name of a file in the run's folder)`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(issueLine(file, raw, parsed.error.issues[0]).replace(/\(check the spelling against docs\/CONFIG.md\)/, ''));
  const m = parsed.data;
  const { experiment, problems } = validateExperiment(`${file}: config`, m.config);
  if (!experiment) throw new UserError(problems[0].replace(`${file}: config: `, `${file}: config.`), problems);
  const hash = configHash(experiment);
  if (hash !== m.configSha256) {
    throw new UserError(`${file}: configSha256: ${JSON.stringify(m.configSha256)} does not match the config it holds (expected ${hash}; the manifest was edited or is corrupt)`);
  }
  if (m.seedScheme.rootSeed !== experiment.seed) {
    throw new UserError(`${file}: seedScheme.rootSeed: ${m.seedScheme.rootSeed} is not valid (expected the config's seed ${experiment.seed})`);
  }
  if (m.replicates !== experiment.replicates) {
    throw new UserError(`${file}: replicates: ${m.replicates} is not valid (expected the config's replicates ${experiment.replicates})`);
  }
  if (Object.keys(m.outputs).length === 0) throw new UserError(`${file}: outputs: {} is not valid (expected at least one output file with its SHA-256)`);
  return { manifest: m as unknown as Manifest, experiment };
}

/** Checks that the data files a manifest records (a price path) are still there and unchanged. */
export function checkInputFiles(file: string, m: Pick<Manifest, 'inputs'>): void {
  for (const [field, input] of Object.entries(m.inputs ?? {})) {
    let actual: string;
    try {
      actual = sha256(readFileSync(input.path));
    } catch {
      throw new UserError(`${file}: inputs.${field}.path: ${JSON.stringify(input.path)} cannot be read (expected the data file the run used, relative to the current folder)`);
    }
    if (actual !== input.sha256) throw new UserError(`${file}: inputs.${field}: ${input.path} has SHA-256 ${actual} (expected ${input.sha256}: the data file changed since the run)`);
  }
}

/** Reads a manifest to reproduce: valid JSON, checked (checkManifest), its input files unchanged. */
export function readManifest(file: string): { manifest: Manifest; experiment: Experiment } {
  const checked = checkManifest(file, readJsonFile(file));
  checkInputFiles(file, checked.manifest);
  return checked;
}
