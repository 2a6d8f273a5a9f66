import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  createProgress,
  formatDuration,
  formatProgressLine,
  resolveProgressMode,
} from '../../src/runner/progress.ts';

/** A stream that keeps what is written; `isTTY` as asked. */
function sink(isTTY: boolean): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => chunks.join('') };
}

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(15.4)).toBe('15 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600 + 7 * 60 + 10)).toBe('2 h 07 min');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});

describe('formatProgressLine', () => {
  it('shows count, percent, throughput and ETA', () => {
    expect(formatProgressLine('hashmigrate', 120, 300, 10_000)).toBe(
      '[hashmigrate] 120/300 replicates (40.0%), 12.0/s, ETA 15 s',
    );
    expect(formatProgressLine('x', 0, 10, 0)).toBe('[x] 0/10 replicates (0.0%), 0.0/s, ETA ?');
  });
});

describe('resolveProgressMode', () => {
  it('picks bar on a terminal and log elsewhere for auto', () => {
    expect(resolveProgressMode('auto', { isTTY: true })).toBe('bar');
    expect(resolveProgressMode('auto', { isTTY: false })).toBe('log');
    expect(resolveProgressMode('auto', {})).toBe('log');
    expect(resolveProgressMode('none', { isTTY: true })).toBe('none');
    expect(resolveProgressMode('log', { isTTY: true })).toBe('log');
  });
});

describe('createProgress', () => {
  it('log mode prints a line once per interval and a final line at stop', () => {
    const { stream, text } = sink(false);
    const clock = fakeClock();
    const p = createProgress('log', 300, { stream, now: clock.now });
    clock.advance(1000);
    p.update(10);
    expect(text()).toBe('');
    clock.advance(4000);
    p.update(50); // 5 s elapsed: 10/s, 250 left
    expect(text()).toBe('[hashmigrate] 50/300 replicates (16.7%), 10.0/s, ETA 25 s\n');
    clock.advance(1000);
    p.update(60);
    expect(text().split('\n')).toHaveLength(2);
    clock.advance(4000);
    p.update(120); // 10 s elapsed
    expect(text().split('\n')[1]).toBe('[hashmigrate] 120/300 replicates (40.0%), 12.0/s, ETA 15 s');
    clock.advance(15_000);
    p.update(300);
    p.stop();
    p.stop(); // idempotent
    p.update(5); // ignored after stop
    const lines = text().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('[hashmigrate] 300/300 replicates (100.0%), 12.0/s, ETA 0 s');
    expect(lines[3]).toBe('[hashmigrate] 300/300 replicates (100.0%), 12.0/s, done in 25 s');
  });

  it('log mode honours intervalMs and label, clamps counts, and says when stopped early', () => {
    const { stream, text } = sink(false);
    const clock = fakeClock();
    const p = createProgress('log', 10, { stream, now: clock.now, intervalMs: 100, label: 'run' });
    clock.advance(100);
    p.update(-3); // clamped to 0
    clock.advance(50);
    p.update(25); // over-counted (retries): clamped to 10; within the interval, so no line
    p.stop();
    expect(text().trimEnd().split('\n')).toEqual([
      '[run] 0/10 replicates (0.0%), 0.0/s, ETA ?',
      '[run] 10/10 replicates (100.0%), 66.7/s, done in 0 s',
    ]);

    const early = sink(false);
    const q = createProgress('log', 10, { stream: early.stream, now: clock.now, label: 'run' });
    clock.advance(2000);
    q.update(4);
    q.stop();
    expect(early.text()).toBe('[run] 4/10 replicates (40.0%), 2.0/s, stopped after 2 s\n');
  });

  it('auto on a non-terminal stream logs; none prints nothing', () => {
    const a = sink(false);
    const clock = fakeClock();
    const p = createProgress('auto', 5, { stream: a.stream, now: clock.now });
    p.update(5);
    p.stop();
    expect(a.text()).toBe('[hashmigrate] 5/5 replicates (100.0%), 0.0/s, done in 0 s\n');

    const n = sink(true);
    const q = createProgress('none', 5, { stream: n.stream, now: clock.now });
    q.update(3);
    q.stop();
    expect(n.text()).toBe('');
  });

  it('bar mode draws a cli-progress bar with throughput and ETA on a terminal', () => {
    const { stream, text } = sink(true);
    const clock = fakeClock();
    const p = createProgress('auto', 300, { stream, now: clock.now });
    clock.advance(10_000);
    p.update(120);
    clock.advance(1000);
    p.update(130);
    p.stop();
    const out = text();
    expect(out).toContain('[hashmigrate]');
    expect(out).toMatch(/130\/300 replicates \(43\.3%\) \| 11\.8\/s \| ETA 17 s/);
  });

  it('measures the ETA from the first finished replicate, so start-up time does not inflate it', () => {
    const { stream, text } = sink(false);
    const clock = fakeClock();
    const p = createProgress('log', 300, { stream, now: clock.now, intervalMs: 5000 });
    clock.advance(3000); // workers starting: nothing finishes for 3 s
    p.update(0);
    for (let t = 3100; t <= 8000; t += 100) {
      clock.advance(100);
      p.update((t - 3000) / 100); // then 10 replicates per second
    }
    // first line at 5 s: 20 done, 280 left at 10/s: 28 s (measured from the start, 4/s, it said 70 s)
    expect(text().split('\n')[0]).toBe('[hashmigrate] 20/300 replicates (6.7%), 4.0/s, ETA 28 s');
  });
});
