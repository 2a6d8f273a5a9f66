// A generic worker pool for seeded Monte Carlo replicates on node:worker_threads, driven through comlink.
//
// The pool knows nothing about the model: a worker module exposes `{ runChunk(replicates, progress) }`
// (see `WorkerApi`), the pool hands it chunks of replicate indices and passes each chunk's results to
// `onResult` in the main thread. Replicates are pure functions of (config, root seed, index), so a chunk
// whose worker died can be re-run on a fresh worker and give the same results.
//
// Worker side, TypeScript entry started through `worker-bootstrap.mjs` (see `bootstrapWorker`):
//
//   import { exposeWorker, bootstrapData } from '../runner/pool.ts';
//   const config = bootstrapData<MyConfig>();
//   exposeWorker({
//     runChunk(replicates: number[], progress?: Int32Array) {
//       return replicates.map((r) => {
//         const out = runReplicate(config, r);
//         if (progress) Atomics.add(progress, 0, 1);
//         return out;
//       });
//     },
//   });
//
// Main thread:
//
//   const { workerUrl, workerData } = bootstrapWorker(new URL('../model/worker.ts', import.meta.url), config);
//   await runPool(chunkReplicates(indices, 10), { workerUrl, workerData, workers, signal, progress, onResult });

/// <reference path="./comlink-node.d.ts" />
import os from 'node:os';
import { Worker, parentPort, workerData as threadWorkerData } from 'node:worker_threads';
import { expose, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';

/** A chunk of replicate indices; `id` is the chunk's position, for the caller's bookkeeping. */
export interface PoolTask {
  id: number;
  replicates: number[];
}

/** What a worker module exposes through comlink (`exposeWorker(api)`). */
export interface WorkerApi<R> {
  /**
   * Runs the given replicates and returns one result per replicate, in the same order.
   * `progress`, when given, is a SharedArrayBuffer-backed counter: `Atomics.add(progress, 0, 1)` after
   * each finished replicate. A thrown error is reported as a model error and is not retried.
   */
  runChunk(replicates: number[], progress?: Int32Array): Promise<R[]> | R[];
}

/**
 * How long a chunk may take: `factor` times the slowest time per replicate measured so far, times
 * the chunk's size, and at least `minMs`; until a first chunk has finished, `firstMsPerReplicate`
 * times the chunk's size.
 */
export interface ChunkDeadline {
  factor: number;
  minMs: number;
  firstMsPerReplicate: number;
}

/** Generous: twenty times the slowest replicate seen, at least 2 minutes; 10 minutes a replicate before any finished. */
export const DEFAULT_CHUNK_DEADLINE: ChunkDeadline = { factor: 20, minMs: 120_000, firstMsPerReplicate: 600_000 };

/** Lifecycle events of the pool's worker threads (for logging and tests). */
export type PoolWorkerEvent =
  | { type: 'start'; threadId: number }
  | { type: 'exit'; threadId: number; exitCode: number }
  | { type: 'died'; threadId: number; replicates: number[]; attempt: number; detail: string };

export interface PoolOptions<R> {
  /** The worker module (`.mjs`/`.js`, or `worker-bootstrap.mjs` for a `.ts` entry: see `bootstrapWorker`). */
  workerUrl: URL;
  /** Passed as `workerData` to each Worker. With the bootstrap it must be `{ entry, data }` (`BootstrapWorkerData`). */
  workerData?: unknown;
  /** Number of worker threads, >= 1; never more than the number of tasks are started. */
  workers: number;
  /** Retries of a chunk after its worker died (default 2, so a chunk is tried at most 3 times). */
  maxRetries?: number;
  /**
   * When a chunk counts as hung: its worker is then replaced and the chunk retried, as after a death.
   * Default DEFAULT_CHUNK_DEADLINE; `null` waits for ever.
   */
  deadline?: ChunkDeadline | null;
  /** Abort: all workers are terminated promptly and the pool rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * SharedArrayBuffer-backed counter handed to every `runChunk` call; workers `Atomics.add(progress, 0, 1)`
   * per finished replicate and the main thread reads it with `Atomics.load(progress, 0)`. A chunk
   * retried after a worker death may count some replicates twice, so clamp it to the total.
   */
  progress?: Int32Array;
  /**
   * Called in the main thread as each chunk completes, in completion order (not task order). Calls are
   * awaited one after the other, never interleaved; an error thrown here stops the pool and is rethrown.
   */
  onResult: (task: PoolTask, results: R[]) => void | Promise<void>;
  /**
   * Text appended to failure messages, telling the user how to re-run one replicate alone. Default:
   * `re-run one alone with: hashmigrate simulate CONFIG --replicate <first index>`.
   */
  rerunHint?: (replicates: number[]) => string | undefined;
  /** Observer of worker starts, exits and deaths. */
  onWorkerEvent?: (event: PoolWorkerEvent) => void;
}

export type ReplicateFailureKind = 'worker-died' | 'model-error';

/** A chunk of replicates could not be run: its worker kept dying, or the model threw. */
export class ReplicateFailure extends Error {
  readonly replicates: number[];
  readonly kind: ReplicateFailureKind;
  /** Times the chunk was tried (worker-died: maxRetries + 1; model-error: the attempt that threw). */
  readonly attempts: number;

  constructor(
    message: string,
    details: { replicates: number[]; kind: ReplicateFailureKind; attempts: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ReplicateFailure';
    this.replicates = details.replicates;
    this.kind = details.kind;
    this.attempts = details.attempts;
  }
}

/**
 * `workerData` of a worker started through `worker-bootstrap.mjs`: `entry` is the file URL (href) of the
 * module to import (a `.ts` entry is loaded through tsx), `data` is the caller's own payload, which the
 * entry reads with `bootstrapData()`.
 */
export interface BootstrapWorkerData {
  entry: string;
  data: unknown;
}

/** The bootstrap module, which registers tsx and imports `workerData.entry`. */
export const BOOTSTRAP_URL = new URL('./worker-bootstrap.mjs', import.meta.url);

/** Pool options for a worker whose entry is a `.ts` (or `.js`) module, started through the bootstrap. */
export function bootstrapWorker(
  entry: URL,
  data?: unknown,
): { workerUrl: URL; workerData: BootstrapWorkerData } {
  return { workerUrl: BOOTSTRAP_URL, workerData: { entry: entry.href, data } };
}

/**
 * Worker side: the caller's payload. Inside a worker started through the bootstrap this is
 * `workerData.data`; inside a worker started directly it is `workerData` itself.
 */
export function bootstrapData<T = unknown>(): T {
  const wd = threadWorkerData as unknown;
  if (isBootstrapWorkerData(wd)) return wd.data as T;
  return wd as T;
}

/** Worker side: exposes the API to the pool over `parentPort`. */
export function exposeWorker<R>(api: WorkerApi<R>): void {
  if (!parentPort) throw new Error('exposeWorker() must be called inside a worker thread');
  expose(api, nodeEndpoint(parentPort));
}

function isBootstrapWorkerData(value: unknown): value is BootstrapWorkerData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { entry?: unknown }).entry === 'string' &&
    'data' in value
  );
}

/** Splits replicate indices into chunks of at most `chunkSize`, keeping their order; ids count from 0. */
export function chunkReplicates(indices: number[], chunkSize: number): PoolTask[] {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`);
  }
  const tasks: PoolTask[] = [];
  for (let i = 0; i < indices.length; i += chunkSize) {
    tasks.push({ id: tasks.length, replicates: indices.slice(i, i + chunkSize) });
  }
  return tasks;
}

/**
 * Worker threads to use by default: `SLURM_CPUS_PER_TASK` when it is a positive integer (Slurm
 * allocations), else `os.availableParallelism()` (which on Node 20 ignores container CPU quotas, so
 * `--workers` should override this).
 */
export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const slurm = env.SLURM_CPUS_PER_TASK?.trim();
  if (slurm && /^\d+$/.test(slurm)) {
    const n = Number(slurm);
    if (Number.isSafeInteger(n) && n >= 1) return n;
  }
  return Math.max(1, os.availableParallelism());
}

/** "3", "40-49", "1, 3, 5-7"; long lists are cut after 8 runs. */
export function formatReplicates(replicates: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < replicates.length) {
    let j = i;
    while (j + 1 < replicates.length && replicates[j + 1] === replicates[j] + 1) j++;
    parts.push(j > i ? `${replicates[i]}-${replicates[j]}` : `${replicates[i]}`);
    i = j + 1;
  }
  if (parts.length > 8) return `${parts.slice(0, 8).join(', ')}, ... (${replicates.length} in all)`;
  return parts.join(', ');
}

function defaultRerunHint(replicates: number[]): string {
  return `re-run one alone with: hashmigrate simulate CONFIG --replicate ${replicates[0]}`;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('replicate pool aborted', reason === undefined ? undefined : { cause: reason });
  err.name = 'AbortError';
  return err;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

interface Death {
  exitCode?: number;
  error?: unknown;
}

/** A chunk that gave no result within its deadline. */
export class ChunkTimeout extends Error {
  override readonly name = 'ChunkTimeout';
  constructor(readonly limitMs: number) {
    super(`no result within ${(limitMs / 1000).toFixed(1)} s (hung)`);
  }
}

function describeDeath(d: Death): string {
  if (d.error instanceof ChunkTimeout) return d.error.message;
  if (d.error !== undefined) return `${d.error instanceof Error ? d.error.name : 'error'}: ${errorMessage(d.error)}`;
  return `exit code ${d.exitCode}`;
}

interface PoolWorker<R> {
  worker: Worker;
  threadId: number;
  remote: { runChunk(replicates: number[], progress?: Int32Array): Promise<R[]> };
  /** Resolves on the first `error` or `exit` event. */
  died: Promise<Death>;
  death?: Death;
}

type Outcome<R> =
  | { type: 'ok'; results: R[] }
  | { type: 'threw'; error: unknown }
  | { type: 'died'; death: Death };

/** What the race of a chunk against death and stop yields: a token for results held aside, or the outcome. */
const OK = Symbol('ok');
type RaceOutcome = typeof OK | { type: 'threw'; error: unknown } | { type: 'died'; death: Death };

/**
 * Runs all tasks on a pool of worker threads; resolves once every chunk's `onResult` has returned.
 * Rejects with a `ReplicateFailure` (worker kept dying, or model error), an AbortError, or the error
 * thrown by `onResult`. All workers are terminated before the returned promise settles.
 */
export async function runPool<R>(tasks: PoolTask[], opts: PoolOptions<R>): Promise<void> {
  const { signal, progress, onWorkerEvent } = opts;
  const maxRetries = opts.maxRetries ?? 2;
  if (!Number.isInteger(opts.workers) || opts.workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${opts.workers}`);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be a non-negative integer, got ${maxRetries}`);
  }
  if (signal?.aborted) throw abortError(signal);
  if (tasks.length === 0) return;

  const rerunHint = opts.rerunHint ?? defaultRerunHint;
  const deadline = opts.deadline === undefined ? DEFAULT_CHUNK_DEADLINE : opts.deadline;
  /** the slowest time per replicate of a finished chunk, ms; 0 until one finishes */
  let msPerReplicate = 0;
  const deadlineMs = (task: PoolTask): number | undefined => {
    if (!deadline) return undefined;
    if (msPerReplicate === 0) return deadline.firstMsPerReplicate * task.replicates.length;
    return Math.max(deadline.minMs, deadline.factor * msPerReplicate * task.replicates.length);
  };
  const withHint = (message: string, replicates: number[]): string => {
    const hint = replicates.length > 0 ? rerunHint(replicates) : undefined;
    return hint ? `${message}; ${hint}` : message;
  };

  const live = new Set<PoolWorker<R>>();
  let failure: { error: unknown } | undefined;
  let rejectStopped!: (e: unknown) => void;
  const stopped = new Promise<never>((_, reject) => {
    rejectStopped = reject;
  });
  stopped.catch(() => {});
  const fail = (error: unknown): void => {
    if (failure) return;
    failure = { error };
    rejectStopped(error);
  };
  const onAbort = (): void => fail(abortError(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });

  const spawn = (): PoolWorker<R> => {
    const worker = new Worker(opts.workerUrl, { workerData: opts.workerData });
    const threadId = worker.threadId;
    let resolveDied!: (d: Death) => void;
    const died = new Promise<Death>((resolve) => {
      resolveDied = resolve;
    });
    const handle: PoolWorker<R> = {
      worker,
      threadId,
      remote: wrap(nodeEndpoint(worker)) as unknown as PoolWorker<R>['remote'],
      died,
    };
    worker.on('error', (error) => {
      handle.death ??= { error };
      resolveDied(handle.death);
    });
    worker.on('exit', (exitCode) => {
      handle.death ??= { exitCode };
      handle.death.exitCode ??= exitCode;
      resolveDied(handle.death);
      onWorkerEvent?.({ type: 'exit', threadId, exitCode });
    });
    live.add(handle);
    onWorkerEvent?.({ type: 'start', threadId });
    return handle;
  };

  const retire = async (w: PoolWorker<R>): Promise<void> => {
    try {
      await w.worker.terminate();
    } finally {
      live.delete(w);
    }
  };
  const terminateAll = async (): Promise<void> => {
    await Promise.allSettled([...live].map(retire));
  };

  // onResult calls run one after the other; after a failure the remaining ones are skipped.
  let delivered: Promise<void> = Promise.resolve();
  const deliver = (task: PoolTask, results: R[]): void => {
    delivered = delivered
      .then(async () => {
        if (!failure) await opts.onResult(task, results);
      })
      .catch(fail);
  };

  let next = 0;
  const slot = async (): Promise<void> => {
    let w: PoolWorker<R> | undefined;
    try {
      while (!failure && next < tasks.length) {
        const task = tasks[next++];
        for (let attempt = 1; ; attempt++) {
          if (!w || w.death) {
            if (w) await retire(w);
            if (failure) return;
            w = spawn();
          }
          const current = w;
          // The results travel in a local box, not as the race's value: `died` and `stopped` stay
          // pending for the whole run and keep every race they joined (and its value) alive, so a
          // race that resolved to the results would hold every chunk's records until the end.
          let box: R[] | undefined;
          const limitMs = deadlineMs(task);
          let timer: NodeJS.Timeout | undefined;
          const started = performance.now();
          const raced: RaceOutcome = await Promise.race([
            Promise.resolve()
              .then(() => current.remote.runChunk(task.replicates, progress))
              .then(
                (results): RaceOutcome => {
                  box = results;
                  return OK;
                },
                (error: unknown): RaceOutcome => ({ type: 'threw', error }),
              ),
            current.died.then((death): RaceOutcome => ({ type: 'died', death })),
            stopped,
            // a hung chunk: its worker is treated as dead (terminated, replaced, the chunk retried)
            ...(limitMs === undefined
              ? []
              : [
                  new Promise<RaceOutcome>((resolve) => {
                    timer = setTimeout(() => {
                      current.death ??= { error: new ChunkTimeout(limitMs) };
                      resolve({ type: 'died', death: current.death });
                    }, limitMs);
                  }),
                ]),
          ]);
          clearTimeout(timer);
          if (raced === OK) msPerReplicate = Math.max(msPerReplicate, (performance.now() - started) / Math.max(1, task.replicates.length));
          const outcome: Outcome<R> = raced === OK ? { type: 'ok', results: box as R[] } : (raced as Outcome<R>);
          box = undefined;
          if (failure) return;
          if (outcome.type === 'ok') {
            if (!Array.isArray(outcome.results) || outcome.results.length !== task.replicates.length) {
              const got = Array.isArray(outcome.results) ? `${outcome.results.length} results` : typeof outcome.results;
              fail(
                new ReplicateFailure(
                  withHint(
                    `model error running replicates ${formatReplicates(task.replicates)}: runChunk returned ${got} for ${task.replicates.length} replicates`,
                    task.replicates,
                  ),
                  { replicates: task.replicates, kind: 'model-error', attempts: attempt },
                ),
              );
              return;
            }
            deliver(task, outcome.results);
            break;
          }
          if (outcome.type === 'threw') {
            fail(
              new ReplicateFailure(
                withHint(
                  `model error running replicates ${formatReplicates(task.replicates)}: ${errorMessage(outcome.error)}`,
                  task.replicates,
                ),
                { replicates: task.replicates, kind: 'model-error', attempts: attempt, cause: outcome.error },
              ),
            );
            return;
          }
          const detail = describeDeath(outcome.death);
          onWorkerEvent?.({ type: 'died', threadId: current.threadId, replicates: task.replicates, attempt, detail });
          if (attempt > maxRetries) {
            const times = attempt === 1 ? 'once' : `${attempt} times`;
            fail(
              new ReplicateFailure(
                withHint(
                  `worker died ${times} running replicates ${formatReplicates(task.replicates)} (last: ${detail})`,
                  task.replicates,
                ),
                {
                  replicates: task.replicates,
                  kind: 'worker-died',
                  attempts: attempt,
                  cause: outcome.death.error,
                },
              ),
            );
            return;
          }
        }
      }
    } catch (error) {
      fail(error);
    }
  };

  try {
    const slots = Array.from({ length: Math.min(opts.workers, tasks.length) }, slot);
    await Promise.all(slots);
    // Every chunk is done or the pool failed: no worker is needed any more.
    await terminateAll();
    await delivered;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await terminateAll();
  }
  if (failure) throw failure.error;
}
