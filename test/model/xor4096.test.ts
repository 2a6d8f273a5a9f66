import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Xor4096 } from '../../src/model/xor4096.ts';
import { streamSeed } from '../../src/model/rng.ts';

const SEEDS = ['', 'a', 'pick-share-test', streamSeed({ rootSeed: 20260401, replicate: 0, point: null }, 'market'), 'x'.repeat(300)];

describe('Xor4096', () => {
  it('new Xor4096(seed).double() gives seedrandom.xor4096(seed).double(), bit for bit, for 10,000 draws', () => {
    for (const seed of SEEDS) {
      const ours = new Xor4096(seed);
      const theirs = seedrandom.xor4096(seed);
      for (let k = 0; k < 10_000; k++) expect(Object.is(ours.double(), theirs.double())).toBe(true);
    }
  });

  it('new Xor4096(seed).next() gives seedrandom.xor4096(seed).int32()', () => {
    for (const seed of SEEDS) {
      const ours = new Xor4096(seed);
      const theirs = seedrandom.xor4096(seed);
      for (let k = 0; k < 1_000; k++) expect(ours.next()).toBe(theirs.int32());
    }
  });
});
