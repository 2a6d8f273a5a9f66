// Memory and time a run needs, estimated from its config before any worker starts: each worker holds
// one replicate's state (arrays over operator slots and their machine cohorts) and its record; the
// aggregation holds every replicate of one series block and the days of every replicate. A run whose
// memory exceeds the machine's is refused (exit 2, one line with the estimate); one that is merely
// large (more than half the machine's memory, or more than LARGE_RUN_SECONDS on the wall clock) is
// refused unless --allow-large; a run of more than NOTE_RUN_SECONDS prints its estimate first.
import { constrainedMemory } from 'node:process';
import { availableParallelism, totalmem } from 'node:os';
import { UserError } from '../config/errors.ts';
import { applyPoint } from './sweep.ts';
import type { Plan } from './plan.ts';

/** Bytes of state per operator slot: 16 float64, 8 int32 and 1 byte arrays (src/model/state.ts). */
export const OPERATOR_BYTES = 16 * 8 + 8 * 4 + 1;
/** Bytes of state per machine cohort slot: 8 float64, 3 int32 and 1 byte arrays. */
export const COHORT_BYTES = 8 * 8 + 3 * 4 + 1;
/** What a worker thread takes before it holds any state: its V8 isolate and the model's code. */
export const WORKER_BASE_BYTES = 64 * 1024 * 1024;
/** What the main process takes besides the aggregation. */
export const MAIN_BASE_BYTES = 160 * 1024 * 1024;
/** Operator-epochs a worker thread runs per second, a cautious figure (README, Performance: 0.9-1.8 M on one thread). */
export const OPERATOR_EPOCHS_PER_SECOND = 1e6;
/** Beyond this estimated wall time a run is refused unless --allow-large: a day. */
export const LARGE_RUN_SECONDS = 24 * 3600;
/** Beyond this estimated wall time a run prints its estimate before it starts: ten minutes. */
export const NOTE_RUN_SECONDS = 600;
/** Aggregation blocks of at most this much (src/runner/aggregate.ts), unless one series needs more. */
const BLOCK_BYTES = 64 * 1024 * 1024;

export interface RunEstimate {
  /** bytes one worker holds at most */
  workerBytes: number;
  /** bytes the main process holds at most (aggregation) */
  mainBytes: number;
  /** bytes in all with `workers` workers */
  totalBytes: number;
  /** worker-seconds of model time */
  cpuSeconds: number;
  /** estimated wall seconds with `workers` workers */
  wallSeconds: number;
  workers: number;
}

/** The estimate of running `units` units of `plan` on `workers` workers (at most one per unit). */
export function estimateRun(plan: Plan, units: number, workers: number, cores = availableParallelism()): RunEstimate {
  const E = plan.epochCount;
  const S = plan.series.length;
  let operatorEpochs = 0;
  let stateBytes = 0;
  // The state's size follows each point's config (a sweep may change the operator count): up to 64 points are looked at.
  const step = Math.ceil(plan.points.length / 64);
  const sample = plan.points.filter((_, i) => i % step === 0);
  for (const point of sample) {
    const m = applyPoint(plan.experiment, point).model;
    const slots = m.operators.count + m.investment.entrantSlots;
    const cohorts = Math.max(8, m.fleet.mix.length + 2);
    stateBytes = Math.max(stateBytes, slots * (OPERATOR_BYTES + cohorts * COHORT_BYTES));
    operatorEpochs += m.operators.count * E;
  }
  const perUnit = operatorEpochs / sample.length;
  const recordBytes = (S + 1) * E * 8;
  const R = plan.replicates;
  // the state, and as much again by half for the scratch arrays and per-epoch lists of a step
  const workerBytes = WORKER_BASE_BYTES + 1.5 * stateBytes + recordBytes;
  const mainBytes = MAIN_BASE_BYTES + Math.max(BLOCK_BYTES, R * E * 8) + 2 * R * E * 8;
  const w = Math.max(1, Math.min(workers, units));
  const cpuSeconds = (units * perUnit) / OPERATOR_EPOCHS_PER_SECOND;
  // workers beyond the cores share them
  const parallel = Math.max(1, Math.min(w, cores));
  return { workerBytes, mainBytes, totalBytes: mainBytes + w * workerBytes, cpuSeconds, wallSeconds: cpuSeconds / parallel, workers: w };
}

/** Memory this process may use: the machine's, or a lower cgroup limit. */
export function availableMemory(): number {
  const total = totalmem();
  // Node 20 reports a cgroup limit, or a huge number (2^64) where there is none
  const limit = typeof constrainedMemory === 'function' ? (constrainedMemory() ?? 0) : 0;
  return limit && limit > 0 && limit < total ? limit : total;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(bytes < 1e9 ? 2 : 1)} GB`;

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** One line: what the run needs. */
export function describeEstimate(est: RunEstimate, units: number): string {
  return `about ${gb(est.totalBytes)} of memory (${est.workers} worker${est.workers > 1 ? 's' : ''} of ${gb(est.workerBytes)}, aggregation ${gb(est.mainBytes)}) and ${formatDuration(est.wallSeconds)} (${formatDuration(est.cpuSeconds)} of CPU for ${units} replicate${units > 1 ? 's' : ''})`;
}

export interface SizeCheck {
  /** allow a run that is large but fits the machine */
  allowLarge: boolean;
  /** the memory to check against (default: availableMemory()) */
  memoryBytes?: number;
  /** where a note on a long run goes */
  log?: (line: string) => void;
}

/**
 * Refuses, with one line and exit 2, a run whose estimate exceeds the machine's memory, and a large
 * one (over half the memory, or over LARGE_RUN_SECONDS) without `allowLarge`; notes a long one.
 */
export function checkRunSize(label: string, plan: Plan, units: number, workers: number, o: SizeCheck): RunEstimate {
  const est = estimateRun(plan, units, workers);
  if (units === 0) return est;
  const memory = o.memoryBytes ?? availableMemory();
  const needs = describeEstimate(est, units);
  if (est.totalBytes > memory) {
    const fit = Math.floor((memory - est.mainBytes) / est.workerBytes);
    const hint = fit >= 1 && fit < est.workers ? `use --workers ${fit}${fit > 1 ? ' or fewer' : ''}, ` : '';
    throw new UserError(`${label}: the run needs ${needs}, more than the ${gb(memory)} of memory here (${hint}or fewer operators, replicates or epochs)`);
  }
  const large = est.totalBytes > memory / 2 || est.wallSeconds > LARGE_RUN_SECONDS;
  if (large && !o.allowLarge) {
    throw new UserError(`${label}: the run needs ${needs}, a large run for a machine with ${gb(memory)} of memory (add --allow-large to run it anyway, or run fewer operators, replicates or epochs, or shards on a cluster)`);
  }
  if (large || est.wallSeconds > NOTE_RUN_SECONDS) o.log?.(`[hashmigrate] ${label}: the run needs ${needs}`);
  return est;
}

