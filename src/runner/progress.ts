// Progress reporting for long runs, on stderr.
//
//   'bar'  a cli-progress bar with throughput (replicates/s) and ETA;
//   'log'  a plain line every `intervalMs` (default 5 s) and a final line at stop(), for CI, batch jobs
//          and log files: `[hashmigrate] 120/300 replicates (40.0%), 12.3/s, ETA 15 s`;
//   'auto' bar when the stream is a terminal, else log;
//   'none' nothing.
//
// update(done) is cheap and may be called often (e.g. from a timer that reads the workers' shared
// counter with Atomics.load); lines are printed only when the interval has passed. Times come from
// `opts.now` (default Date.now), so tests can drive a fake clock.

import cliProgress from 'cli-progress';

export type ProgressMode = 'auto' | 'bar' | 'log' | 'none';

export interface ProgressOptions {
  /** Output stream (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Log mode: minimum time between lines; bar mode: redraw schedule when the stream is not a terminal. Default 5000. */
  intervalMs?: number;
  /** Prefix, printed as `[label]` (default 'hashmigrate'). */
  label?: string;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

export interface ProgressReporter {
  /** Number of replicates done so far (clamped to 0..total). */
  update(done: number): void;
  /** Prints the final state and releases the terminal; idempotent. */
  stop(): void;
}

export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'bar', 'log', 'none'];

/** The mode actually used: 'auto' becomes 'bar' on a terminal, else 'log'. */
export function resolveProgressMode(
  mode: ProgressMode,
  stream: { isTTY?: boolean } = process.stderr,
): Exclude<ProgressMode, 'auto'> {
  if (mode === 'auto') return stream.isTTY ? 'bar' : 'log';
  return mode;
}

/** "42 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

interface Snapshot {
  done: number;
  total: number;
  percent: string;
  rate: string;
  eta: string;
  elapsed: string;
}

/** The first count above zero and when it was seen: the ETA's rate is measured from there. */
export interface FirstDone {
  done: number;
  elapsedMs: number;
}

/**
 * The shown throughput is over the whole elapsed time. The ETA's rate starts at the first finished
 * replicate, so that worker start-up and warm-up (seconds, while nothing finishes) do not inflate
 * it: measured from the start, the first ETA of a baseline run was about 8 times the real one.
 * Without a first count, or within 1 s of it, the ETA is unknown ('?').
 */
function snapshot(done: number, total: number, elapsedMs: number, first?: FirstDone): Snapshot {
  const elapsedS = elapsedMs / 1000;
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const remaining = total - done;
  const windowS = first ? (elapsedMs - first.elapsedMs) / 1000 : elapsedS;
  const etaRate = first ? (windowS >= 1 ? (done - first.done) / windowS : 0) : rate;
  const eta = remaining <= 0 ? 0 : etaRate > 0 ? remaining / etaRate : Number.NaN;
  return {
    done,
    total,
    percent: (total > 0 ? (100 * done) / total : 100).toFixed(1),
    rate: rate.toFixed(1),
    eta: formatDuration(eta),
    elapsed: formatDuration(elapsedS),
  };
}

/** `[label] 120/300 replicates (40.0%), 12.3/s, ETA 15 s` */
export function formatProgressLine(label: string, done: number, total: number, elapsedMs: number, first?: FirstDone): string {
  const s = snapshot(done, total, elapsedMs, first);
  return `[${label}] ${s.done}/${s.total} replicates (${s.percent}%), ${s.rate}/s, ETA ${s.eta}`;
}

function finalLine(label: string, done: number, total: number, elapsedMs: number): string {
  const s = snapshot(done, total, elapsedMs);
  const end = done >= total ? `done in ${s.elapsed}` : `stopped after ${s.elapsed}`;
  return `[${label}] ${s.done}/${s.total} replicates (${s.percent}%), ${s.rate}/s, ${end}`;
}

export function createProgress(mode: ProgressMode, total: number, opts: ProgressOptions = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const intervalMs = opts.intervalMs ?? 5000;
  const label = opts.label ?? 'hashmigrate';
  const now = opts.now ?? Date.now;
  const resolved = resolveProgressMode(mode, stream);
  if (resolved === 'none') return { update() {}, stop() {} };

  const start = now();
  let done = 0;
  let stopped = false;
  let first: FirstDone | undefined;
  const clamp = (n: number): number => Math.min(total, Math.max(0, Math.floor(n)));
  const count = (n: number, t: number): void => {
    done = clamp(n);
    if (!first && done > 0) first = { done, elapsedMs: t - start };
  };

  if (resolved === 'log') {
    let lastPrint = start;
    return {
      update(n) {
        if (stopped) return;
        const t = now();
        count(n, t);
        if (t - lastPrint >= intervalMs) {
          lastPrint = t;
          stream.write(`${formatProgressLine(label, done, total, t - start, first)}\n`);
        }
      },
      stop() {
        if (stopped) return;
        stopped = true;
        stream.write(`${finalLine(label, done, total, now() - start)}\n`);
      },
    };
  }

  const payload = (t: number): { rate: string; etaText: string; pct: string } => {
    const s = snapshot(done, total, t - start, first);
    return { rate: s.rate, etaText: s.eta, pct: s.percent };
  };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `[${label}] {bar} {value}/{total} replicates ({pct}%) | {rate}/s | ETA {etaText}`,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      // An explicit 'bar' on a stream that is not a terminal still prints, every interval.
      noTTYOutput: true,
      notTTYSchedule: intervalMs,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, payload(start));
  return {
    update(n) {
      if (stopped) return;
      const t = now();
      count(n, t);
      bar.update(done, payload(t));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(done, payload(now()));
      bar.stop();
    },
  };
}
