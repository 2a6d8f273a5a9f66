// The pure parts of sharding: reading --shard (explicit, or from a Slurm job array), the block of
// units each shard holds, and the command that runs a shard.
import { describe, expect, it } from 'vitest';
import { formatUnits, parseShard, shardCommand, shardUnits } from '../../src/runner/shard.ts';
import { UserError } from '../../src/config/errors.ts';

describe('parseShard(value, env)', () => {
  it('reads I/N', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard('6/7')).toEqual({ index: 6, count: 7 });
    expect(parseShard(' 2/3 ')).toEqual({ index: 2, count: 3 });
  });

  it('takes I and N from a Slurm job array with auto', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 2, count: 3 });
    // --array=1-3: ids 1..3 are shards 0..2
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 0, count: 3 });
    // --array=0-8:4: ids 0, 4, 8 are shards 0, 1, 2
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '4', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 2, count: 3 });
  });

  it('takes I from the Slurm job array with /N', () => {
    expect(parseShard('/5', { SLURM_ARRAY_TASK_ID: '4' })).toEqual({ index: 4, count: 5 });
  });

  it.each([
    ['3/3', {}, /--shard: "3\/3": index 3 is not valid \(expected 0 <= I < 3\)/],
    ['0/0', {}, /count 0 is not valid/],
    ['1-3', {}, /--shard: "1-3" is not valid \(expected I\/N/],
    ['-1/3', {}, /is not valid \(expected I\/N/],
    ['auto', {}, /"auto" needs SLURM_ARRAY_TASK_COUNT, which is not set/],
    ['auto', { SLURM_ARRAY_TASK_COUNT: '3' }, /needs SLURM_ARRAY_TASK_ID, which is not set/],
    ['/3', { SLURM_ARRAY_TASK_ID: 'x' }, /SLURM_ARRAY_TASK_ID: "x" is not an integer/],
    ['/3', { SLURM_ARRAY_TASK_ID: '3' }, /index 3 is not valid/],
  ] as const)('refuses %j (env %j) with a user error', (value, env, message) => {
    const attempt = () => parseShard(value, env);
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow(message);
  });
});

describe('shardUnits(total, spec)', () => {
  it('splits 12 units into 3 blocks of 4, in order', () => {
    expect([0, 1, 2].map((index) => shardUnits(12, { index, count: 3 }))).toEqual([
      { first: 0, end: 4 },
      { first: 4, end: 8 },
      { first: 8, end: 12 },
    ]);
  });

  it.each([
    [1, 1],
    [6, 7],
    [10, 3],
    [12, 7],
    [1000, 13],
  ])('covers %i units with %i shards exactly once, block sizes within one', (total, count) => {
    const ranges = Array.from({ length: count }, (_, index) => shardUnits(total, { index, count }));
    expect(ranges[0].first).toBe(0);
    expect(ranges[count - 1].end).toBe(total);
    for (let i = 1; i < count; i++) expect(ranges[i].first).toBe(ranges[i - 1].end);
    const sizes = ranges.map((r) => r.end - r.first);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('leaves some shards empty when there are more shards than units', () => {
    const sizes = Array.from({ length: 7 }, (_, index) => shardUnits(6, { index, count: 7 })).map((r) => r.end - r.first);
    expect(sizes).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(formatUnits(shardUnits(6, { index: 0, count: 7 }))).toBe('none');
    expect(formatUnits({ first: 4, end: 5 })).toBe('4');
    expect(formatUnits({ first: 4, end: 8 })).toBe('4-7');
  });
});

describe('shardCommand(input, spec, outDir)', () => {
  it('names the config, every option that enters the outputs, the shard and its folder', () => {
    const c = { configFile: 'configs/baseline.json', replicates: 300, seed: 7, excel: false, trajectories: true };
    expect(shardCommand(c, { index: 2, count: 10 }, 'results/b-shards/shard-2')).toBe(
      'hashmigrate run configs/baseline.json --replicates 300 --seed 7 --trajectories --shard 2/10 --out results/b-shards/shard-2',
    );
  });

  it('quotes paths for the shell', () => {
    const c = { configFile: "my runs/it's.json", replicates: 1, seed: 0, excel: true, trajectories: false };
    expect(shardCommand(c, { index: 0, count: 1 }, '/tmp/a b')).toBe(`hashmigrate run 'my runs/it'\\''s.json' --replicates 1 --seed 0 --excel --shard 0/1 --out '/tmp/a b'`);
  });
});
