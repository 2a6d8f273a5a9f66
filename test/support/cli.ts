// The real command line for tests: `node dist/cli.mjs ARGS` from the repository root, the bundle of
// src/cli/main.ts and its worker that the suite's global setup (support/build-cli.ts) builds from
// the current sources before any test runs.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** node's arguments that start the CLI (the bundle of the sources, built by the global setup) */
export const CLI = [join(ROOT, 'dist', 'cli.mjs')];

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A runner of the CLI to completion, killed after `timeoutMs`; returns its exit status and output. */
export function cliRunner(timeoutMs: number): (...args: string[]) => Ran {
  return (...args) => {
    const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}
