import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Two test files run at once even on 2 cores (vitest's default there is one): most of the
    // suite's time is spent in child processes and worker threads, which leave a core idle.
    // A file's setup may then share its cores, so hooks get a longer limit than tests.
    hookTimeout: 300_000,
    maxWorkers: Math.max(2, availableParallelism() - 1),
    pool: 'forks',
    // Bundles the CLI once for the tests that spawn it (test/support/build-cli.ts).
    globalSetup: ['test/support/build-cli.ts'],
  },
});
