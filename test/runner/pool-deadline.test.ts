// A hung chunk (a worker that never answers) is timed out by the chunk deadline: its worker is
// replaced and the chunk retried like a death, or, hung every time, the pool fails naming it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { chunkReplicates, ReplicateFailure, runPool, type PoolWorkerEvent } from '../../src/runner/pool.ts';

const fixture = new URL('./fixtures/hanging-worker.mjs', import.meta.url);
const tmp = tempDirs('hm-pool-deadline-');
type Sq = { r: number; v: number };

describe('runPool: chunk deadline', () => {
  it('replaces a hung worker and retries its chunk, with every result once', async () => {
    const dir = tmp();
    const results: Sq[] = [];
    const events: PoolWorkerEvent[] = [];
    await runPool<Sq>(chunkReplicates([0, 1, 2, 3, 4, 5], 2), {
      workerUrl: fixture,
      workerData: { markerDir: dir, hangOn: [4] },
      workers: 1,
      deadline: { factor: 20, minMs: 400, firstMsPerReplicate: 2_500 },
      onResult: (_t, rs) => void results.push(...rs),
      onWorkerEvent: (e) => events.push(e),
    });
    expect(existsSync(join(dir, 'hung-4'))).toBe(true);
    expect(results.map((x) => x.r).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const died = events.filter((e) => e.type === 'died');
    expect(died).toHaveLength(1);
    expect(died[0].type === 'died' && died[0].replicates).toEqual([4, 5]);
    expect(died[0].type === 'died' && died[0].detail).toMatch(/^no result within \d+\.\d s \(hung\)$/);
  }, 30_000);

  it('fails naming the replicates when the chunk hangs every time', async () => {
    const dir = tmp();
    const err = await runPool<Sq>(chunkReplicates([7, 8], 2), {
      workerUrl: fixture,
      workerData: { markerDir: dir, hangOn: [7], always: true },
      workers: 1,
      maxRetries: 1,
      deadline: { factor: 20, minMs: 300, firstMsPerReplicate: 150 },
      onResult: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicateFailure);
    expect((err as ReplicateFailure).message).toMatch(/^worker died 2 times running replicates 7-8 \(last: no result within 0\.3 s \(hung\)\)/);
  }, 30_000);
});
