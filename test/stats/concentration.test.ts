import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  concentrationStats,
  entropyBits,
  gini,
  hhi,
  nakamoto,
  splitIntoParts,
  splitIntoPartsInto,
  topShare,
} from '../../src/stats/concentration.ts';

// A pool distribution in the style of published hashrate shares; sums to 1 (nominally).
const POOLS = [0.37, 0.17, 0.12, 0.1, 0.08, 0.06, 0.04, 0.03, 0.02, 0.01];

describe('hhi', () => {
  it('hhi(shares) of a single entity is 10000', () => {
    expect(hhi([0.42])).toBe(10000);
  });

  it('hhi(shares) of two equal entities is 5000', () => {
    expect(hhi([3, 3])).toBe(5000);
  });

  it('hhi(shares) of four equal entities is 2500', () => {
    expect(hhi([1, 1, 1, 1])).toBe(2500);
  });

  it('hhi(shares) of [0.5, 0.3, 0.2] is 2500 + 900 + 400 = 3800', () => {
    expect(hhi([0.5, 0.3, 0.2])).toBeCloseTo(3800, 9);
  });

  it('hhi(shares) normalises amounts that do not sum to 1', () => {
    // shares 0.5, 0.25, 0.25 -> 2500 + 625 + 625
    expect(hhi([200, 100, 100])).toBe(3750);
  });

  it('hhi(shares) of the pool distribution is the sum of squared percentages', () => {
    // 37² + 17² + 12² + 10² + 8² + 6² + 4² + 3² + 2² + 1² = 1369+289+144+100+64+36+16+9+4+1
    expect(hhi(POOLS)).toBeCloseTo(2032, 9);
  });

  it('hhi(shares) ignores zero-amount entities', () => {
    expect(hhi([1, 0, 1, 0])).toBe(5000);
  });

  it('hhi(shares) of all zeros is 0', () => {
    expect(hhi([0, 0, 0])).toBe(0);
  });

  it('hhi(shares) of no entities is 0', () => {
    expect(hhi([])).toBe(0);
  });

  it('hhi(shares) accepts a Float64Array', () => {
    expect(hhi(new Float64Array([1, 1]))).toBe(5000);
  });

  it('hhi(shares) does not depend on entity order', () => {
    expect(hhi([...POOLS].reverse())).toBe(hhi(POOLS));
  });

  it('hhi(shares) rejects a negative amount naming its index and value', () => {
    expect(() => hhi([0.2, 0.3, 0.1, -1])).toThrow(
      new RangeError('hhi: amounts[3] is -1, expected a finite number >= 0'),
    );
  });

  it('hhi(shares) rejects NaN', () => {
    expect(() => hhi([NaN])).toThrow('hhi: amounts[0] is NaN, expected a finite number >= 0');
  });

  it('hhi(shares) rejects Infinity', () => {
    expect(() => hhi([1, Infinity])).toThrow(
      'hhi: amounts[1] is Infinity, expected a finite number >= 0',
    );
  });

  it('hhi(shares) throws a RangeError', () => {
    expect(() => hhi([-0.5])).toThrow(RangeError);
  });
});

describe('nakamoto', () => {
  it('nakamoto(shares) of a single entity is 1', () => {
    expect(nakamoto([5])).toBe(1);
  });

  it('nakamoto(shares) of two exact halves is 2', () => {
    expect(nakamoto([0.5, 0.5])).toBe(2);
  });

  it('nakamoto(shares) of [0.51, 0.49] is 1', () => {
    expect(nakamoto([0.51, 0.49])).toBe(1);
  });

  it('nakamoto(shares) sorts descending before accumulating', () => {
    expect(nakamoto([0.49, 0.51])).toBe(1);
  });

  it('nakamoto(shares) of the pool distribution is 2 (0.37 + 0.17 = 0.54)', () => {
    expect(nakamoto(POOLS)).toBe(2);
  });

  it('nakamoto(shares) of four equal entities is 3 (two are exactly half)', () => {
    expect(nakamoto([1, 1, 1, 1])).toBe(3);
  });

  it('nakamoto(shares) with ties at the boundary counts entities, not which tied one', () => {
    // 0.3 + 0.2 is exactly half; one of the tied 0.2s is needed on top
    expect(nakamoto([0.2, 0.3, 0.2, 0.2, 0.1])).toBe(3);
  });

  it('nakamoto(shares) of a nominal exact half from decimal shares is not a majority', () => {
    // 0.04 + 0.03 + 0.03 sums to 0.1 but the total to 0.19999999999999998 in floats, so without
    // the 1e-12 slack the top three would look like a majority; nominally they are exactly half
    expect(nakamoto([0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.01])).toBe(4);
  });

  it('nakamoto(shares) normalises amounts that do not sum to 1', () => {
    // 30 + 30 = 60 of 100
    expect(nakamoto([30, 20, 20, 30])).toBe(2);
  });

  it('nakamoto(shares) ignores zero-amount entities', () => {
    expect(nakamoto([0, 0, 1, 0])).toBe(1);
  });

  it('nakamoto(shares) of all zeros is 0', () => {
    expect(nakamoto([0, 0])).toBe(0);
  });

  it('nakamoto(shares) of no entities is 0', () => {
    expect(nakamoto([])).toBe(0);
  });

  it('nakamoto(shares) rejects a negative amount naming its index and value', () => {
    expect(() => nakamoto([1, -2])).toThrow(
      new RangeError('nakamoto: amounts[1] is -2, expected a finite number >= 0'),
    );
  });
});

describe('topShare', () => {
  it('topShare(shares) defaults to the three largest', () => {
    expect(topShare([0.1, 0.4, 0.2, 0.3])).toBeCloseTo(0.9, 12);
  });

  it('topShare(shares) of the pool distribution is 0.37 + 0.17 + 0.12 = 0.66', () => {
    expect(topShare(POOLS)).toBeCloseTo(0.66, 12);
  });

  it('topShare(shares, 1) is the largest share', () => {
    expect(topShare([1, 3], 1)).toBe(0.75);
  });

  it('topShare(shares, 2) with a tie takes either tied entity, same value', () => {
    expect(topShare([2, 1, 1, 4], 2)).toBe(0.75);
  });

  it('topShare(shares, k) with k above the entity count is 1', () => {
    expect(topShare([1, 2], 5)).toBe(1);
  });

  it('topShare(shares, 0) is 0', () => {
    expect(topShare([1, 2], 0)).toBe(0);
  });

  it('topShare(shares) of a single entity is 1', () => {
    expect(topShare([7])).toBe(1);
  });

  it('topShare(shares) of all zeros is 0', () => {
    expect(topShare([0, 0, 0, 0])).toBe(0);
  });

  it('topShare(shares) of no entities is 0', () => {
    expect(topShare([])).toBe(0);
  });

  it('topShare(shares, k) rejects a fractional k', () => {
    expect(() => topShare([1], 1.5)).toThrow(
      new RangeError('topShare: k is 1.5, expected an integer >= 0'),
    );
  });

  it('topShare(shares, k) rejects a negative k', () => {
    expect(() => topShare([1], -1)).toThrow(RangeError);
  });

  it('topShare(shares) rejects a negative amount naming its index and value', () => {
    expect(() => topShare([1, 2, -3])).toThrow(
      'topShare: amounts[2] is -3, expected a finite number >= 0',
    );
  });
});

describe('gini', () => {
  it('gini(amounts) of a single entity is 0', () => {
    expect(gini([0.8])).toBe(0);
  });

  it('gini(amounts) of equal entities is exactly 0', () => {
    expect(gini([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])).toBe(0);
  });

  it('gini(amounts) of [0, 1] is 0.5', () => {
    expect(gini([0, 1])).toBe(0.5);
  });

  it('gini(amounts) of one holder among three is (n-1)/n = 2/3', () => {
    expect(gini([0, 5, 0])).toBe(2 / 3);
  });

  it('gini(amounts) of [1, 2, 3] is 2/9', () => {
    // Σ(2i-n-1)x = -2·1 + 0·2 + 2·3 = 4; n·Σx = 3·6 = 18
    expect(gini([3, 1, 2])).toBe(4 / 18);
  });

  it('gini(amounts) of [1, 1, 2] with a tie is 1/6', () => {
    // Σ(2i-n-1)x = -2·1 + 0·1 + 2·2 = 2; n·Σx = 3·4 = 12
    expect(gini([1, 2, 1])).toBe(2 / 12);
  });

  it('gini(amounts) is scale-invariant', () => {
    expect(gini([100, 200, 300])).toBe(gini([1, 2, 3]));
  });

  it('gini(amounts) of the pool distribution matches the hand sum', () => {
    // ascending, weights 2i-n-1 = -9,-7,...,9:
    // -9·.01 -7·.02 -5·.03 -3·.04 -1·.06 = -0.56; +1·.08 +3·.10 +5·.12 +7·.17 +9·.37 = 5.50
    // Σ = 4.94; n·Σx = 10·1
    expect(gini(POOLS)).toBeCloseTo(0.494, 12);
  });

  it('gini(amounts) of all zeros is 0', () => {
    expect(gini([0, 0, 0])).toBe(0);
  });

  it('gini(amounts) of no entities is 0', () => {
    expect(gini([])).toBe(0);
  });

  it('gini(amounts) rejects a negative amount naming its index and value', () => {
    expect(() => gini([-0.1])).toThrow(
      new RangeError('gini: amounts[0] is -0.1, expected a finite number >= 0'),
    );
  });
});

describe('entropyBits', () => {
  it('entropyBits(shares) of a single entity is 0', () => {
    expect(entropyBits([0.3])).toBe(0);
  });

  it('entropyBits(shares) of two equal entities is 1 bit', () => {
    expect(entropyBits([2, 2])).toBe(1);
  });

  it('entropyBits(shares) of four equal entities is 2 bits', () => {
    expect(entropyBits([1, 1, 1, 1])).toBe(2);
  });

  it('entropyBits(shares) treats 0·log 0 as 0', () => {
    expect(entropyBits([1, 0, 1, 0])).toBe(1);
  });

  it('entropyBits(shares) of [0.5, 0.25, 0.25] is 1.5 bits', () => {
    expect(entropyBits([0.5, 0.25, 0.25])).toBe(1.5);
  });

  it('entropyBits(shares) of three equal entities is log2(3)', () => {
    expect(entropyBits([1, 1, 1])).toBeCloseTo(Math.log2(3), 14);
  });

  it('entropyBits(shares) of the pool distribution matches -Σ p log2 p', () => {
    // -Σ p log2 p over POOLS, evaluated term by term: ≈ 2.7165 bits
    const expectedBits = -POOLS.reduce((acc, p) => acc + p * Math.log2(p), 0);
    expect(entropyBits(POOLS)).toBeCloseTo(expectedBits, 12);
  });

  it('entropyBits(shares) of all zeros is 0', () => {
    expect(entropyBits([0, 0])).toBe(0);
  });

  it('entropyBits(shares) of no entities is 0', () => {
    expect(entropyBits([])).toBe(0);
  });

  it('entropyBits(shares) rejects a non-finite amount naming its index and value', () => {
    expect(() => entropyBits([1, 1, -Infinity])).toThrow(
      new RangeError('entropyBits: amounts[2] is -Infinity, expected a finite number >= 0'),
    );
  });
});

describe('splitIntoParts', () => {
  it('splitIntoParts(0.135, 0.01) is thirteen 0.01 parts and one 0.005', () => {
    const parts = splitIntoParts(0.135, 0.01);
    expect(parts).toHaveLength(14);
    expect(parts.slice(0, 13)).toEqual(new Array(13).fill(0.01));
    expect(parts[13]).toBeCloseTo(0.005, 15);
  });

  it('splitIntoParts(0.03, 0.01) is three parts despite 0.03/0.01 < 3 in floats', () => {
    expect(splitIntoParts(0.03, 0.01)).toEqual([0.01, 0.01, 0.01]);
  });

  it('splitIntoParts(share, part) with an exact multiple has no remainder part', () => {
    expect(splitIntoParts(0.5, 0.25)).toEqual([0.25, 0.25]);
  });

  it('splitIntoParts(share, part) with share below part is [share]', () => {
    expect(splitIntoParts(0.004, 0.01)).toEqual([0.004]);
  });

  it('splitIntoParts(0, part) is empty', () => {
    expect(splitIntoParts(0, 0.01)).toEqual([]);
  });

  it('splitIntoParts(share, part) drops a float-residue remainder below 1e-12', () => {
    expect(splitIntoParts(0.3, 0.1)).toEqual([0.1, 0.1, 0.1]);
  });

  it('splitIntoParts(share, part) parts sum back to the share', () => {
    const parts = splitIntoParts(0.37, 0.05);
    expect(parts).toHaveLength(8);
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(0.37, 14);
  });

  it('splitIntoParts(share, part) rejects a negative share', () => {
    expect(() => splitIntoParts(-0.1, 0.01)).toThrow(
      new RangeError('splitIntoParts: share is -0.1, expected a finite number >= 0'),
    );
  });

  it('splitIntoParts(share, part) rejects a zero part', () => {
    expect(() => splitIntoParts(0.1, 0)).toThrow(
      new RangeError('splitIntoParts: partShare is 0, expected a finite number > 0'),
    );
  });

  it('splitIntoParts(share, part) rejects a NaN share', () => {
    expect(() => splitIntoParts(NaN, 0.01)).toThrow(RangeError);
  });
});

describe('splitIntoPartsInto', () => {
  it('writes the parts of splitIntoParts from an index and returns the index after them', () => {
    const into = new Float64Array(20).fill(-1);
    expect(splitIntoPartsInto(0.135, 0.01, into, 2)).toBe(16);
    expect(Array.from(into.subarray(2, 16))).toEqual(splitIntoParts(0.135, 0.01));
    expect(into[1]).toBe(-1);
    expect(into[16]).toBe(-1);
  });

  it('writes nothing into an array too short and returns -(the index needed) - 1', () => {
    const into = new Float64Array(5).fill(-1);
    expect(splitIntoPartsInto(0.135, 0.01, into, 2)).toBe(-17);
    expect(Array.from(into)).toEqual([-1, -1, -1, -1, -1]);
  });
});

describe('concentrationStats (one sort for all five statistics)', () => {
  it('gives bit-identical results to hhi, nakamoto, topShare, gini and entropyBits one by one', async () => {
    const { concentrationStats, hhi, nakamoto, topShare, gini, entropyBits } = await import('../../src/stats/concentration.ts');
    let seed = 12345;
    const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cases: number[][] = [[], [0, 0, 0], [5], [0.3, 0.2, 0.5], [1, 1, 1, 1]];
    for (let c = 0; c < 40; c++) {
      const n = 1 + Math.floor(uniform() * 300);
      cases.push(Array.from({ length: n }, () => (uniform() < 0.4 ? 0 : (1 - uniform()) ** -1.2 * 1e6)));
    }
    const scratch = new Float64Array(64);
    for (const a of cases) {
      for (const k of [0, 1, 3, 10]) {
        const got = concentrationStats(a, k, scratch);
        expect(got).toEqual({ hhi: hhi(a), nakamoto: nakamoto(a), topShare: topShare(a, k), gini: gini(a), entropyBits: entropyBits(a) });
      }
    }
  });

  it('sorts long lists (the radix sort) into the same statistics, ties and wide magnitudes included', async () => {
    const { concentrationStats, hhi, nakamoto, topShare, gini, entropyBits } = await import('../../src/stats/concentration.ts');
    let seed = 987;
    const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cases: number[][] = [Array.from({ length: 500 }, () => 7), Array.from({ length: 400 }, (_, i) => 400 - i)];
    for (let c = 0; c < 12; c++) {
      const n = 256 + Math.floor(uniform() * 3000);
      cases.push(Array.from({ length: n }, () => (uniform() < 0.3 ? 0 : uniform() < 0.1 ? 42 : (1 - uniform()) ** -1.5 * 10 ** (uniform() * 6 - 3))));
    }
    const scratch = new Float64Array(4000);
    for (const a of cases) {
      const got = concentrationStats(a, 3, scratch);
      expect(got).toEqual({ hhi: hhi(a), nakamoto: nakamoto(a), topShare: topShare(a, 3), gini: gini(a), entropyBits: entropyBits(a) });
      const ascending = Float64Array.from(a).sort();
      expect(Array.from(scratch.subarray(0, a.length))).toEqual(Array.from(ascending));
    }
  });

  it('rejects a negative or non-finite amount, naming its index', async () => {
    const { concentrationStats } = await import('../../src/stats/concentration.ts');
    expect(() => concentrationStats([1, -2])).toThrow(/amounts\[1\] is -2/);
    expect(() => concentrationStats([Number.NaN])).toThrow(/amounts\[0\] is NaN/);
  });
});

describe('concentrationStats with amounts over a wide range of magnitudes', () => {
  it('gives a finite HHI for the operator hashrates of a model run whose squared shares needed more than 32 partials', () => {
    // fixtures/operator-hashrate-dust.json: the 1,474 positive operator hashrates (TH/s, from 1.7e-11
    // to 1.1e8) of baseline replicate 89 at epoch 104, where a capacity of 32 partials gave NaN.
    const amounts = JSON.parse(readFileSync(new URL('./fixtures/operator-hashrate-dust.json', import.meta.url), 'utf8')) as number[];
    const stats = concentrationStats(amounts);
    let total = 0;
    for (const a of amounts) total += a;
    let hhi = 0;
    for (const a of amounts) hhi += ((100 * a) / total) ** 2;
    expect(stats.hhi).toBeCloseTo(hhi, 6);
  });
});
