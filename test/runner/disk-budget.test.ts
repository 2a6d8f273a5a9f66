import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDiskSpace, diskNeed, freeBytes } from '../../src/runner/disk-budget.ts';
import { IoError } from '../../src/io/io-error.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { makePlan } from '../../src/runner/plan.ts';
import { derivedSeries } from '../../src/runner/derived.ts';

const TINY = fileURLToPath(new URL('../fixtures/tiny.json', import.meta.url));

describe('disk budget', () => {
  const { experiment } = loadExperiment(TINY);
  const plan = makePlan(TINY, experiment);
  const record = (plan.series.length + 1) * plan.epochCount * 8;

  it('counts the records still to run and the outputs', () => {
    const need = diskNeed(plan, 5, { trajectories: false });
    expect(need.spoolBytes).toBe(5 * record);
    // epochs.csv has the recorded series and the derived ones (underwater per region, relocated_ehs_cumulative per destination)
    const rows = (plan.series.length + derivedSeries(plan.series).length) * plan.epochCount;
    expect(derivedSeries(plan.series)).toHaveLength(plan.experiment.model.regions.length + plan.experiment.model.decisions.destinations.length);
    expect(need.outputBytes).toBe(rows * 256);
    const withTrajectories = diskNeed(plan, 5, { trajectories: true });
    expect(withTrajectories.outputBytes - need.outputBytes).toBe(12 * plan.series.length * plan.epochCount * 96);
    expect(diskNeed(plan, 2, { trajectories: true, shardUnits: 3 })).toEqual({ spoolBytes: 2 * record, outputBytes: 3 * record });
  });

  it('refuses a run that cannot fit, in one line with exit-1 I/O wording, and lets one that fits pass', () => {
    const need = diskNeed(plan, 12, { trajectories: false });
    const total = need.spoolBytes + need.outputBytes;
    expect(() => checkDiskSpace('out', need, total)).not.toThrow();
    expect(() => checkDiskSpace('out', need, total - 1)).toThrow(IoError);
    expect(() => checkDiskSpace('out', { spoolBytes: 3e12, outputBytes: 1e9 }, 5e11)).toThrow(
      /^cannot write out: the run needs about 3001\.0 GB \(records 3000\.0 GB, outputs 1\.0 GB\) and 500\.0 GB is free \(free some room/,
    );
  });

  it('finds the free space of a folder not made yet through its parent', () => {
    expect(freeBytes(join(fileURLToPath(new URL('.', import.meta.url)), 'no', 'such', 'folder'))).toBeGreaterThan(0);
  });
});
