// Provenance of a run: the resolved config and its hash (canonical JSON, RFC 8785), the seed scheme,
// the design, the software and platform, and the SHA-256 of every output file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import type { Experiment } from '../config/experiment.ts';
import { SEED_SCHEME, STREAM_NAMES } from '../model/rng.ts';
import type { SweepPoint } from '../runner/sweep.ts';

export const MANIFEST_VERSION = 1;

export interface Manifest {
  manifestVersion: number;
  name: string;
  question: string;
  description: string;
  config: Experiment;
  configSha256: string;
  configFile: string;
  seedScheme: { scheme: string; streams: readonly string[]; rootSeed: number; seedOf: string };
  replicates: number;
  sweep: { design: string; points: SweepPoint[]; independentStreams: boolean } | null;
  options: { excel: boolean; trajectories: boolean };
  software: { name: string; version: string; gitCommit: string; lockfileSha256: string; node: string; v8: string; platform: string; arch: string };
  outputs: Record<string, string>;
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

function gitCommit(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function softwareInfo(): Manifest['software'] {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const lock = join(root, 'package-lock.json');
  return {
    name: pkg.name,
    version: pkg.version,
    gitCommit: gitCommit(root),
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

/** Hashes of output files, by name, in name order. */
export function hashOutputs(dir: string, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) out[name] = sha256(readFileSync(join(dir, name)));
  return out;
}
