import { describe, expect, it } from 'vitest';
import { pairingProblem } from '../../src/runner/compare.ts';
import { prepareArms } from '../../src/runner/compare-arms.ts';

/** The fields pairingProblem reads, for a run with the given seed, replicates and start. */
function run(dir: string, o: { seed?: number; replicates?: number; start?: string; sweep?: boolean; trajectories?: boolean } = {}) {
  return {
    dir,
    manifest: {
      seedScheme: { scheme: 'hashmigrate/v1', rootSeed: o.seed ?? 1 },
      replicates: o.replicates ?? 10,
      sweep: o.sweep ? { design: 'grid', points: [{}, {}], independentStreams: false } : null,
      options: { trajectories: o.trajectories ?? true, excel: false },
    },
    experiment: { model: { start: { date: o.start ?? '2026-03-21' } } },
  } as never;
}

describe('pairingProblem', () => {
  it('names the seed, the replicate count, the start date or the sweep that keeps two runs from pairing', () => {
    const base = run('/nonexistent/base');
    expect(pairingProblem(base, run('a', { seed: 2 }))).toMatch(/^a: seed 2, base \/nonexistent\/base has seed 1; pairing needs the same seed \(run it again with --seed 1\)$/);
    expect(pairingProblem(base, run('a', { replicates: 4 }))).toMatch(/4 replicates, base .* has 10; .*--replicates 4/);
    expect(pairingProblem(base, run('a', { start: '2026-01-01' }))).toMatch(/starts 2026-01-01, base .* starts 2026-03-21/);
    expect(pairingProblem(base, run('a', { sweep: true }))).toMatch(/is a sweep \(grid, 2 points\)/);
    expect(pairingProblem(base, run('a', { trajectories: false }))).toMatch(/has no trajectories\.csv/);
  });
});

describe('prepareArms', () => {
  it('gives every arm the base seed, the replicate count and the earliest horizon, in folders by name', () => {
    const p = prepareArms({ files: ['test/fixtures/tiny.json', 'configs/us-power-shock.json'], outDir: 'o', replicates: 3 });
    expect(p.until).toBe('2027-03-31');
    expect(p.arms.map((a) => [a.dir, a.experiment.seed, a.experiment.replicates, a.experiment.model.horizon.endDate])).toEqual([
      ['o/arms/tiny', 20260401, 3, '2027-03-31'],
      ['o/arms/us-power-shock', 20260401, 3, '2027-03-31'],
    ]);
  });

  it('applies --until and --seed, numbers a repeated arm, and refuses a bad date', () => {
    const p = prepareArms({ files: ['test/fixtures/tiny.json', 'test/fixtures/tiny.json'], outDir: 'o', until: '2026-09-30', seed: 7 });
    expect(p.arms.map((a) => [a.dir, a.experiment.seed, a.experiment.model.horizon.endDate])).toEqual([
      ['o/arms/tiny', 7, '2026-09-30'],
      ['o/arms/tiny-2', 7, '2026-09-30'],
    ]);
    expect(() => prepareArms({ files: ['test/fixtures/tiny.json', 'test/fixtures/tiny.json'], outDir: 'o', until: '2026-02-30x' })).toThrow(/--until: "2026-02-30x" is not a date/);
    expect(() => prepareArms({ files: ['test/fixtures/tiny.json', 'test/fixtures/tiny.json'], outDir: 'o', until: '2025-01-01' })).toThrow(/horizon\.endDate: "2025-01-01" is not valid/);
    expect(() => prepareArms({ files: ['test/fixtures/tiny.json'], outDir: 'o' })).toThrow(/expected the base and at least one scenario/);
  });
});
