// The estimate of a run's memory and time before it starts: beyond the machine's memory it is refused
// (exit 2, one line with the estimate, no output folder); a large run needs --allow-large; a long one
// says what it needs first.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { makePlan } from '../../src/runner/plan.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { checkRunSize, estimateRun, formatDuration, COHORT_BYTES, OPERATOR_BYTES } from '../../src/runner/estimate.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-estimate-');
const cli = cliRunner(60_000);

function planOf(overrides: Record<string, unknown> = {}, replicates = 4) {
  const file = join(tmp(), 'x.json');
  writeFileSync(file, JSON.stringify({ extends: TINY, name: 'x', replicates, overrides }));
  const { experiment } = loadExperiment(file);
  return { file, experiment, plan: makePlan(file, experiment) };
}

describe('estimateRun', () => {
  it('grows with operators, workers and replicates', () => {
    const { plan } = planOf();
    const one = estimateRun(plan, 4, 1, 8);
    const four = estimateRun(plan, 4, 4, 8);
    expect(four.totalBytes - four.mainBytes).toBeCloseTo(4 * (one.totalBytes - one.mainBytes), 0);
    expect(four.cpuSeconds).toBe(one.cpuSeconds);
    expect(four.wallSeconds).toBeCloseTo(one.wallSeconds / 4, 9);
    // workers beyond the cores do not shorten the run
    expect(estimateRun(plan, 4, 4, 2).wallSeconds).toBeCloseTo(one.wallSeconds / 2, 9);
    // one worker per unit at most
    expect(estimateRun(plan, 2, 16, 16).workers).toBe(2);
    const slots = plan.experiment.model.operators.count + plan.experiment.model.investment.entrantSlots;
    expect(one.workerBytes).toBeGreaterThan(slots * (OPERATOR_BYTES + 8 * COHORT_BYTES));
  });

  it('formats durations for people', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(3 * 3600)).toBe('3.0 h');
    expect(formatDuration(5 * 86400)).toBe('5.0 days');
  });
});

describe('checkRunSize', () => {
  const { plan } = planOf();
  it('refuses a run beyond the memory, whatever --allow-large, naming the estimate and the workers that fit', () => {
    const est = estimateRun(plan, 4, 4);
    const memory = est.mainBytes + 2.5 * est.workerBytes;
    expect(() => checkRunSize('x.json', plan, 4, 4, { allowLarge: true, memoryBytes: memory })).toThrow(UserError);
    expect(() => checkRunSize('x.json', plan, 4, 4, { allowLarge: true, memoryBytes: memory })).toThrow(
      /^x\.json: the run needs about .* GB of memory \(4 workers of .* GB, aggregation .* GB\) and .* \(.* of CPU for 4 replicates\), more than the .* GB of memory here \(use --workers 2 or fewer, or fewer operators, replicates or epochs\)$/,
    );
  });

  it('refuses a large run (over half the memory) unless allowed, and then says what it needs', () => {
    const est = estimateRun(plan, 4, 1);
    const memory = 1.5 * est.totalBytes;
    expect(() => checkRunSize('x.json', plan, 4, 1, { allowLarge: false, memoryBytes: memory })).toThrow(/a large run for a machine with .* GB of memory \(add --allow-large to run it anyway/);
    const lines: string[] = [];
    checkRunSize('x.json', plan, 4, 1, { allowLarge: true, memoryBytes: memory, log: (l) => lines.push(l) });
    expect(lines).toEqual([expect.stringMatching(/^\[hashmigrate\] x\.json: the run needs about /)]);
  });

  it('says nothing of a small run', () => {
    const lines: string[] = [];
    checkRunSize('x.json', plan, 4, 1, { allowLarge: false, memoryBytes: 64e9, log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });

  it('runBatch refuses before it writes anything', async () => {
    const { file, experiment } = planOf();
    const outDir = join(tmp(), 'out');
    await expect(
      runBatch({ file, experiment, outDir, workers: 1, progress: 'none', trajectories: false, excel: false, force: false, resume: false, memoryBytes: 1e6, log: () => {} }),
    ).rejects.toThrow(/more than the 0\.00 GB of memory here/);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('the CLI', () => {
  it('refuses a run of 20 million operator slots on 64 workers with exit 2 and one line, writing nothing', () => {
    const file = join(tmp(), 'huge.json');
    writeFileSync(file, JSON.stringify({ extends: TINY, name: 'huge', replicates: 64, overrides: { 'model.operators.count': 10_000_000, 'model.investment.entrantSlots': 10_000_000 } }));
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--workers', '64', '--out', out, '--progress', 'none');
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hashmigrate: .*huge\.json: the run needs about [\d.]+ GB of memory \(64 workers of [\d.]+ GB, aggregation [\d.]+ GB\) and .*, more than the [\d.]+ GB of memory here/);
    expect(existsSync(out)).toBe(false);
  });
});
