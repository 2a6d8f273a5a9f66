import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bootstrapWorker,
  chunkReplicates,
  defaultWorkerCount,
  formatReplicates,
  ReplicateFailure,
  runPool,
  type PoolOptions,
  type PoolTask,
  type PoolWorkerEvent,
} from '../../src/runner/pool.ts';

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

interface Sq {
  r: number;
  v: number;
  arr: Float64Array;
}

const tmpDirs: string[] = [];
function markerDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'pool-test-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

function callLines(dir: string): string[] {
  const file = join(dir, 'calls');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

/** Counts worker starts and exits, to check that no thread outlives the pool. */
function workerTracker() {
  const events: PoolWorkerEvent[] = [];
  return {
    events,
    onWorkerEvent: (e: PoolWorkerEvent) => events.push(e),
    count: (type: PoolWorkerEvent['type']) => events.filter((e) => e.type === type).length,
  };
}

async function collect<R>(
  tasks: PoolTask[],
  opts: Omit<PoolOptions<R>, 'onResult'>,
): Promise<{ results: R[]; taskIds: number[] }> {
  const results: R[] = [];
  const taskIds: number[] = [];
  await runPool<R>(tasks, {
    ...opts,
    onResult: (task, rs) => {
      expect(rs).toHaveLength(task.replicates.length);
      taskIds.push(task.id);
      results.push(...rs);
    },
  });
  return { results, taskIds };
}

const byReplicate = <T extends { r: number }>(xs: T[]): T[] => [...xs].sort((a, b) => a.r - b.r);
const expected = (n: number): Sq[] =>
  Array.from({ length: n }, (_, r) => ({ r, v: r * r, arr: Float64Array.of(r, r / 2) }));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('chunkReplicates', () => {
  it('splits in order with ids from 0 and a short last chunk', () => {
    expect(chunkReplicates([5, 6, 7, 8, 9], 2)).toEqual([
      { id: 0, replicates: [5, 6] },
      { id: 1, replicates: [7, 8] },
      { id: 2, replicates: [9] },
    ]);
    expect(chunkReplicates([], 3)).toEqual([]);
    expect(chunkReplicates([1, 2], 10)).toEqual([{ id: 0, replicates: [1, 2] }]);
  });
  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => chunkReplicates([1], 0)).toThrow(RangeError);
    expect(() => chunkReplicates([1], 1.5)).toThrow(RangeError);
  });
});

describe('defaultWorkerCount', () => {
  it('honours a valid SLURM_CPUS_PER_TASK', () => {
    expect(defaultWorkerCount({ SLURM_CPUS_PER_TASK: '6' })).toBe(6);
  });
  it('falls back to availableParallelism otherwise', () => {
    const n = os.availableParallelism();
    expect(defaultWorkerCount({})).toBe(n);
    for (const bad of ['', '0', '-2', 'abc', '2.5', '4(x2)']) {
      expect(defaultWorkerCount({ SLURM_CPUS_PER_TASK: bad })).toBe(n);
    }
  });
});

describe('formatReplicates', () => {
  it('compresses consecutive runs', () => {
    expect(formatReplicates([40, 41, 42, 43])).toBe('40-43');
    expect(formatReplicates([1, 3, 5, 6, 7])).toBe('1, 3, 5-7');
    expect(formatReplicates([3])).toBe('3');
  });
});

describe('runPool', () => {
  it('collects the same results for 1, 2 and 4 workers and various chunk sizes', async () => {
    const n = 23;
    for (const [workers, chunkSize] of [
      [1, 5],
      [2, 1],
      [2, 7],
      [4, 3],
      [4, 50],
    ] as const) {
      const progress = new Int32Array(new SharedArrayBuffer(4));
      const tracker = workerTracker();
      const tasks = chunkReplicates(range(n), chunkSize);
      const { results, taskIds } = await collect<Sq>(tasks, {
        workerUrl: fixture('square-worker.mjs'),
        workerData: { delayMs: 2 },
        workers,
        progress,
        onWorkerEvent: tracker.onWorkerEvent,
      });
      expect(byReplicate(results), `workers=${workers} chunk=${chunkSize}`).toEqual(expected(n));
      expect(results[0].arr).toBeInstanceOf(Float64Array);
      expect([...taskIds].sort((a, b) => a - b)).toEqual(range(tasks.length));
      expect(Atomics.load(progress, 0)).toBe(n);
      expect(tracker.count('start')).toBe(Math.min(workers, tasks.length));
      expect(tracker.count('exit')).toBe(tracker.count('start'));
    }
  });

  it('resolves at once for no tasks, starting no worker', async () => {
    const tracker = workerTracker();
    await runPool([], {
      workerUrl: fixture('square-worker.mjs'),
      workers: 4,
      onResult: () => {
        throw new Error('not called');
      },
      onWorkerEvent: tracker.onWorkerEvent,
    });
    expect(tracker.events).toEqual([]);
  });

  it('rejects invalid worker counts', async () => {
    const opts = { workerUrl: fixture('square-worker.mjs'), onResult: () => {} };
    await expect(runPool(chunkReplicates([1], 1), { ...opts, workers: 0 })).rejects.toThrow(RangeError);
    await expect(runPool(chunkReplicates([1], 1), { ...opts, workers: 1.5 })).rejects.toThrow(RangeError);
  });

  it('awaits onResult calls one at a time', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    await runPool<Sq>(chunkReplicates(range(12), 1), {
      workerUrl: fixture('square-worker.mjs'),
      workers: 3,
      onResult: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        calls++;
      },
    });
    expect(calls).toBe(12);
    expect(maxActive).toBe(1);
  });

  it('rejects with the error thrown by onResult and stops all workers', async () => {
    const tracker = workerTracker();
    await expect(
      runPool<Sq>(chunkReplicates(range(10), 2), {
        workerUrl: fixture('square-worker.mjs'),
        workers: 2,
        onResult: () => {
          throw new Error('disk full');
        },
        onWorkerEvent: tracker.onWorkerEvent,
      }),
    ).rejects.toThrow('disk full');
    expect(tracker.count('exit')).toBe(tracker.count('start'));
  });

  it('survives workers that die once, with identical results', async () => {
    const dir = markerDir();
    const tracker = workerTracker();
    const n = 20;
    const { results } = await collect<Sq>(chunkReplicates(range(n), 4), {
      workerUrl: fixture('dying-worker.mjs'),
      workerData: { markerDir: dir, dieOn: [3, 12] },
      workers: 2,
      onWorkerEvent: tracker.onWorkerEvent,
    });
    expect(byReplicate(results)).toEqual(expected(n));
    const died = tracker.events.filter((e) => e.type === 'died');
    expect(died.map((e) => (e.type === 'died' ? e.replicates : [])).sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1, 2, 3],
      [12, 13, 14, 15],
    ]);
    expect(tracker.count('start')).toBe(4); // 2 workers + 2 replacements
    expect(tracker.count('exit')).toBe(4);
  });

  it('rejects with worker-died after maxRetries, naming the replicates', async () => {
    const dir = markerDir();
    const tracker = workerTracker();
    const err = await runPool(chunkReplicates(range(10).map((i) => i + 40), 10), {
      workerUrl: fixture('always-dying-worker.mjs'),
      workerData: { markerDir: dir },
      workers: 1,
      onResult: () => {},
      onWorkerEvent: tracker.onWorkerEvent,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicateFailure);
    const failure = err as ReplicateFailure;
    expect(failure.kind).toBe('worker-died');
    expect(failure.replicates).toEqual(range(10).map((i) => i + 40));
    expect(failure.attempts).toBe(3);
    expect(failure.message).toMatch(/^worker died 3 times running replicates 40-49 \(last: exit code 1\)/);
    expect(failure.message).toContain('re-run one alone with: hashmigrate simulate CONFIG --replicate 40');
    expect(callLines(dir)).toHaveLength(3); // 1 try + 2 retries
    expect(tracker.count('exit')).toBe(tracker.count('start'));
  });

  it('honours maxRetries and a custom rerun hint', async () => {
    const dir = markerDir();
    const err = await runPool(chunkReplicates([5, 6], 2), {
      workerUrl: fixture('always-dying-worker.mjs'),
      workerData: { markerDir: dir },
      workers: 1,
      maxRetries: 0,
      rerunHint: (rs) => `try --replicate ${rs[0]}`,
      onResult: () => {},
    }).catch((e: unknown) => e);
    expect((err as ReplicateFailure).message).toBe(
      'worker died once running replicates 5-6 (last: exit code 1); try --replicate 5',
    );
    expect(callLines(dir)).toHaveLength(1);
  });

  it('reports a worker that cannot start as worker-died with its error', async () => {
    const err = await runPool(chunkReplicates([1], 1), {
      workerUrl: fixture('no-such-worker.mjs'),
      workers: 1,
      maxRetries: 1,
      onResult: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicateFailure);
    expect((err as ReplicateFailure).kind).toBe('worker-died');
    expect((err as ReplicateFailure).message).toMatch(/worker died 2 times running replicates 1 \(last: .*Cannot find module/);
  });

  it('rejects a model error at once, without retry, naming the replicates and the message', async () => {
    const dir = markerDir();
    const tracker = workerTracker();
    const err = await runPool(chunkReplicates(range(20), 5), {
      workerUrl: fixture('throwing-worker.mjs'),
      workerData: { markerDir: dir },
      workers: 2,
      onResult: () => {},
      onWorkerEvent: tracker.onWorkerEvent,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicateFailure);
    const failure = err as ReplicateFailure;
    expect(failure.kind).toBe('model-error');
    expect(failure.replicates).toEqual([5, 6, 7, 8, 9]);
    expect(failure.message).toContain('model error running replicates 5-9: model exploded at replicate 7');
    expect((failure.cause as Error).message).toBe('model exploded at replicate 7');
    expect(callLines(dir).filter((l) => l.split(',').includes('7'))).toHaveLength(1);
    expect(tracker.count('died')).toBe(0);
    expect(tracker.count('exit')).toBe(tracker.count('start'));
  });

  it('aborts promptly, terminating busy workers', async () => {
    const tracker = workerTracker();
    const progress = new Int32Array(new SharedArrayBuffer(4));
    const controller = new AbortController();
    const run = runPool(chunkReplicates(range(8), 2), {
      workerUrl: fixture('busy-worker.mjs'),
      workers: 2,
      progress,
      signal: controller.signal,
      onResult: () => {},
      onWorkerEvent: tracker.onWorkerEvent,
    });
    const settled = run.catch((e: unknown) => e);
    // Wait until both workers are spinning inside runChunk.
    const deadline = Date.now() + 10_000;
    while (Atomics.load(progress, 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(Atomics.load(progress, 0)).toBe(2);

    const t0 = performance.now();
    controller.abort();
    const err = await settled;
    const elapsed = performance.now() - t0;
    expect((err as Error).name).toBe('AbortError');
    expect(elapsed).toBeLessThan(2000);
    expect(tracker.count('start')).toBe(2);
    expect(tracker.count('exit')).toBe(2);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const tracker = workerTracker();
    const err = await runPool(chunkReplicates(range(4), 2), {
      workerUrl: fixture('square-worker.mjs'),
      workers: 2,
      signal: AbortSignal.abort(),
      onResult: () => {},
      onWorkerEvent: tracker.onWorkerEvent,
    }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(tracker.events).toEqual([]);
  });

  it('runs a TypeScript worker through worker-bootstrap.mjs', async () => {
    const progress = new Int32Array(new SharedArrayBuffer(4));
    const { workerUrl, workerData } = bootstrapWorker(fixture('ts-worker.ts'), { offset: 1 });
    expect(workerData).toEqual({ entry: fixture('ts-worker.ts').href, data: { offset: 1 } });
    const n = 9;
    const { results } = await collect<{ r: number; v: number; arr: Float64Array }>(chunkReplicates(range(n), 3), {
      workerUrl,
      workerData,
      workers: 2,
      progress,
    });
    expect(byReplicate(results)).toEqual(range(n).map((r) => ({ r, v: r * r + 1, arr: Float64Array.of(r) })));
    expect(Atomics.load(progress, 0)).toBe(n);
  });
});

describe('runPool: memory', () => {
  it('does not keep delivered results alive while the run goes on', async () => {
    // Results handed to onResult must be collectable once onResult has returned; a pool that kept
    // them (e.g. as the value of a promise race joined by long-lived promises) grows by a record per
    // replicate. Checked with weak references and a forced garbage collection in the middle of a run.
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const refs: WeakRef<object>[] = [];
    let collected = -1;
    await runPool<Sq>(chunkReplicates(range(40), 1), {
      workerUrl: fixture('square-worker.mjs'),
      workers: 2,
      onResult: async (task, results) => {
        refs.push(new WeakRef(results));
        if (task.id === 30) {
          // let the finished handlers unwind, then collect
          await new Promise((r) => setTimeout(r, 20));
          gc();
          collected = refs.slice(0, 20).filter((ref) => ref.deref() === undefined).length;
        }
      },
    });
    expect(collected).toBe(20);
  });
});
