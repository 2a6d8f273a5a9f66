// The real command line for tests: `node --import tsx src/cli/main.ts ARGS` from the repository root.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** node's arguments that start the CLI from source */
export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

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
