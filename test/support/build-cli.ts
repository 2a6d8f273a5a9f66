// Vitest global setup: bundles the CLI and its worker into dist/ (scripts/build.mjs, esbuild) once,
// from the sources as they are now, before any test file runs. The tests spawn that bundle
// (support/cli.ts): a process then starts in about 0.5 s instead of the 2 s tsx needs to compile
// the sources on the way, and the suite starts several hundred. The same sources, compiled by the
// same esbuild that tsx uses; test/cli/cli.test.ts and test/package still run the installed
// entry point (bin/hashmigrate.mjs, through tsx) as users do.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
