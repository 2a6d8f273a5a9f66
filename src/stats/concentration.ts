// Concentration statistics of hashrate across entities (pools, regions, miners).
//
// Every function takes non-negative amounts that need not sum to 1; shares are amount / total.
// All sums go through d3-array's `fsum` (Shewchuk's exactly rounded summation, as in Python's
// math.fsum), so a result does not depend on the order in which entities are listed.
//
// A zero total (no entities, or all amounts zero) has no shares to speak of; every statistic is
// then defined as 0 — "no concentration measured" — rather than NaN, so that an empty network
// cannot poison an aggregation across replicates.

import { Adder, fsum } from 'd3-array';

/** Relative slack so that a nominal exactly-50% coalition (e.g. 0.3 + 0.2 of 1) is not a majority. */
const MAJORITY_SLACK = 1e-12;

/**
 * Copies the amounts into a Float64Array, throwing a RangeError that names the offending
 * index and value if one is negative, NaN, infinite or not a number at all.
 */
function checkedAmounts(functionName: string, amounts: ArrayLike<number>): Float64Array {
  const checked = new Float64Array(amounts.length);
  for (let i = 0; i < amounts.length; i++) {
    const amount = amounts[i];
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw new RangeError(
        `${functionName}: amounts[${i}] is ${String(amount)}, expected a finite number >= 0`,
      );
    }
    checked[i] = amount;
  }
  return checked;
}

/**
 * Herfindahl–Hirschman index on the 0..10,000 scale: the sum of squared percentage shares
 * (US DOJ/FTC Horizontal Merger Guidelines, 2023, §2.1). One entity holding everything is 10,000;
 * n equal entities give 10,000 / n. A zero total gives 0.
 */
export function hhi(amounts: ArrayLike<number>): number {
  const values = checkedAmounts('hhi', amounts);
  const total = fsum(values);
  if (total === 0) return 0;
  return fsum(values, (amount) => {
    const sharePercent = (100 * amount) / total;
    return sharePercent * sharePercent;
  });
}

/**
 * Nakamoto coefficient (Srinivasan & Lee, 2017, "Quantifying Decentralization"): the smallest
 * number of entities whose combined share is strictly more than 50%. Two halves need both
 * entities (2); 51/49 needs one. A coalition within 1e-12 (relative) of exactly half is treated
 * as exactly half, so float representation of nominal shares cannot manufacture a majority.
 * A zero total gives 0.
 */
export function nakamoto(amounts: ArrayLike<number>): number {
  const ascending = checkedAmounts('nakamoto', amounts).sort();
  const total = fsum(ascending);
  if (total === 0) return 0;
  const majorityThreshold = (total / 2) * (1 + MAJORITY_SLACK);
  // Largest first. Adder is the exact accumulator behind fsum, so each running coalition sum is
  // exactly rounded, as fsum of the same entities would be, at O(1) amortised cost per step.
  const coalition = new Adder();
  for (let count = 1; count <= ascending.length; count++) {
    coalition.add(ascending[ascending.length - count]);
    if (+coalition > majorityThreshold) return count;
  }
  // Unreachable with a positive total: all entities together hold 100% > 50% + slack.
  return ascending.length;
}

/**
 * Combined share (0..1) of the k largest entities; k larger than the number of entities takes
 * them all (share 1). k must be a non-negative integer. A zero total gives 0.
 */
export function topShare(amounts: ArrayLike<number>, k = 3): number {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`topShare: k is ${String(k)}, expected an integer >= 0`);
  }
  const ascending = checkedAmounts('topShare', amounts).sort();
  const total = fsum(ascending);
  if (total === 0) return 0;
  const largestCount = Math.min(k, ascending.length);
  return fsum(ascending.subarray(ascending.length - largestCount)) / total;
}

/**
 * Gini coefficient over entities (0 = all equal, (n-1)/n = one entity holds everything), the
 * population form on ascending-sorted values x_1..x_n:
 *   G = Σ_i (2i − n − 1) x_i / (n Σ_i x_i)
 * (Damgaard & Weiner, 2000, "Describing inequality in plant size or fecundity", eq. 1).
 * Written with signed weights rather than 2Σ i x_i / (nΣx) − (n+1)/n so that equal values cancel
 * exactly to 0 instead of leaving a rounding residue. A single entity or a zero total gives 0.
 */
export function gini(amounts: ArrayLike<number>): number {
  const ascending = checkedAmounts('gini', amounts).sort();
  const count = ascending.length;
  const total = fsum(ascending);
  if (total === 0) return 0;
  const weighted = fsum(ascending, (amount, index) => (2 * (index + 1) - count - 1) * amount);
  return weighted / (count * total);
}

/**
 * Shannon entropy of the shares in bits, −Σ p log2 p, with 0·log 0 = 0 (its limit).
 * n equal entities give log2(n); a single entity or a zero total gives 0.
 */
export function entropyBits(amounts: ArrayLike<number>): number {
  const values = checkedAmounts('entropyBits', amounts);
  const total = fsum(values);
  if (total === 0) return 0;
  // fsum skips zero terms, so p = 0 and p = 1 (whose −p·log2 p is −0) leave a +0 sum.
  return fsum(values, (amount) => {
    if (amount === 0) return 0;
    const share = amount / total;
    return -share * Math.log2(share);
  });
}

/** HHI, Nakamoto coefficient, top-k share, Gini and entropy of one set of amounts. */
export interface ConcentrationStats {
  hhi: number;
  nakamoto: number;
  topShare: number;
  gini: number;
  entropyBits: number;
}

/**
 * All five statistics of `amounts` from one checked, sorted copy (written into `scratch` when it is
 * long enough, so that a caller observing every epoch allocates nothing). The results are the same,
 * bit for bit, as hhi(), nakamoto(), topShare(k), gini() and entropyBits() called one by one:
 * every sum is fsum's exactly rounded sum of the same terms (zeros, which fsum skips, are skipped
 * here up front), whatever their order.
 */
export function concentrationStats(amounts: ArrayLike<number>, k = 3, scratch?: Float64Array, out?: ConcentrationStats): ConcentrationStats {
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`concentrationStats: k is ${String(k)}, expected an integer >= 0`);
  }
  const count = amounts.length;
  const ascending = scratch && scratch.length >= count ? scratch : new Float64Array(count);
  // The positive amounts are gathered at the front and sorted on their own, then moved behind the
  // zeros: the same sorted array as sorting them all (zeros, whose sign no statistic reads, first).
  let positives = 0;
  for (let i = 0; i < count; i++) {
    const amount = amounts[i];
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw new RangeError(`concentrationStats: amounts[${i}] is ${String(amount)}, expected a finite number >= 0`);
    }
    if (amount > 0) ascending[positives++] = amount;
  }
  const zeros = count - positives;
  sortPositives(ascending, positives);
  if (zeros > 0) {
    ascending.copyWithin(zeros, 0, positives);
    ascending.fill(0, 0, zeros);
  }
  return concentrationStatsOfAscending(ascending, count, zeros, k, out ?? { hhi: 0, nakamoto: 0, topShare: 0, gini: 0, entropyBits: 0 });
}

/** Below this many amounts the built-in sort is used (a radix sort's fixed cost is its 2,048-bucket counts). */
const RADIX_MIN = 256;
/** Bits of each radix digit: three digits cover each 32-bit half of a double (11 + 11 + 10). */
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
/** Index of the low 32-bit word of a double in a Uint32Array view (0 on little-endian machines). */
const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const radixCounts = new Int32Array(6 * BUCKETS);
let radixBuffer = new Float64Array(0);

/**
 * Sorts `a[0 .. n)`, positive finite doubles, ascending: the same array as the built-in sort gives
 * (a sorted array of numbers is one array, however it is reached). From RADIX_MIN amounts on it is a
 * least-significant-digit radix sort on the doubles' bits, which for positive doubles are in the
 * same order as their values: six stable passes of 11, 11 and 10 bits of each 32-bit half, a pass
 * skipped where every amount has the same digit. The doubles are moved as doubles.
 */
function sortPositives(a: Float64Array, n: number): void {
  if (n < RADIX_MIN) {
    a.subarray(0, n).sort();
    return;
  }
  if (radixBuffer.length < n) radixBuffer = new Float64Array(n);
  const counts = radixCounts;
  counts.fill(0);
  const aWords = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const lowAt = LOW_WORD;
  const highAt = 1 - LOW_WORD;
  for (let i = 0; i < n; i++) {
    const lo = aWords[2 * i + lowAt];
    const hi = aWords[2 * i + highAt];
    counts[lo & 2047]++;
    counts[BUCKETS + ((lo >>> 11) & 2047)]++;
    counts[2 * BUCKETS + (lo >>> 22)]++;
    counts[3 * BUCKETS + (hi & 2047)]++;
    counts[4 * BUCKETS + ((hi >>> 11) & 2047)]++;
    counts[5 * BUCKETS + (hi >>> 22)]++;
  }
  let from: Float64Array = a;
  let to: Float64Array = radixBuffer;
  let fromWords: Uint32Array = aWords;
  let toWords: Uint32Array = new Uint32Array(radixBuffer.buffer, 0, 2 * n);
  for (let d = 0; d < 6; d++) {
    const base = d * BUCKETS;
    const word = d < 3 ? lowAt : highAt;
    const shift = (d % 3) * DIGIT_BITS;
    if (counts[base + ((fromWords[word] >>> shift) & 2047)] === n) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = counts[base + ((fromWords[2 * i + word] >>> shift) & 2047)]++;
      to[j] = from[i];
    }
    const f = from;
    from = to;
    to = f;
    const w = fromWords;
    fromWords = toWords;
    toWords = w;
  }
  if (from !== a) a.set(from.subarray(0, n));
}

/**
 * The five statistics of `ascending[0 .. count)`, already sorted ascending, with its `zeros` zeros
 * first and only positive finite amounts after them (the caller has checked them), written into
 * `result`. Each sum is fsum's of the same terms in the same order as in the statistics one by one;
 * the sums of the hhi, Gini and entropy terms run side by side in one pass, each on its own
 * accumulator.
 */
export function concentrationStatsOfAscending(ascending: Float64Array, count: number, zeros: number, k: number, result: ConcentrationStats): ConcentrationStats {
  const sum = totalSum;
  sum.reset();
  for (let i = zeros; i < count; i++) sum.addTerm(ascending[i]);
  const total = sum.value();
  if (total === 0) {
    result.hhi = 0;
    result.nakamoto = 0;
    result.topShare = 0;
    result.gini = 0;
    result.entropyBits = 0;
    return result;
  }
  const hhiTerms = hhiSum;
  const giniTerms = giniSum;
  const entropyTerms = entropySum;
  hhiTerms.reset();
  giniTerms.reset();
  entropyTerms.reset();
  for (let i = zeros; i < count; i++) {
    const amount = ascending[i];
    const sharePercent = (100 * amount) / total;
    hhiTerms.addTerm(sharePercent * sharePercent);
    const index = i - zeros;
    giniTerms.addTerm((2 * (zeros + index + 1) - count - 1) * amount);
    const share = amount / total;
    entropyTerms.addTerm(-share * Math.log2(share));
  }
  result.hhi = hhiTerms.value();
  const majorityThreshold = (total / 2) * (1 + MAJORITY_SLACK);
  const coalition = sum;
  coalition.reset();
  result.nakamoto = count;
  for (let n = 1; n <= count; n++) {
    coalition.add(ascending[count - n]);
    if (coalition.value() > majorityThreshold) {
      result.nakamoto = n;
      break;
    }
  }
  sum.reset();
  for (let i = count - Math.min(k, count); i < count; i++) sum.addTerm(ascending[i]);
  result.topShare = sum.value() / total;
  const weighted = giniTerms.value();
  result.gini = weighted / (count * total);
  result.entropyBits = entropyTerms.value();
  return result;
}

/**
 * d3-array's Adder (3.2.5) and the loop of its fsum, restated for concentrationStats' loops over
 * a typed array (no iterator, no callback, one buffer for all its sums): the same floating-point
 * operations in the same order (Shewchuk's partials, at most 64, then the same final rounding),
 * so each sum is fsum's of the same terms, bit for bit (the tests compare the two).
 */
/** Capacity of PartialSums: more than the 40 partials a sum of doubles can need. */
const PARTIALS = 64;

class PartialSums {
  // Non-overlapping partials of doubles span at most 2,098 bits of exponent range, 53 bits each: 40
  // of them at most. (d3's Adder keeps 32, and past 32 its value is NaN; amounts whose squared shares
  // span from 1e-37 to 1e4, as dust hashrate gives, need more.)
  private readonly partials = new Float64Array(PARTIALS);
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  /** fsum's step: a term that is 0 (or NaN) is skipped. */
  addTerm(x: number): void {
    if (x) this.add(x);
  }

  /** Adder.add */
  add(x: number): void {
    const p = this.partials;
    const n = this.n < PARTIALS ? this.n : PARTIALS;
    let i = 0;
    for (let j = 0; j < n; j++) {
      const y = p[j];
      const hi = x + y;
      const lo = Math.abs(x) < Math.abs(y) ? x - (hi - y) : y - (hi - x);
      if (lo) p[i++] = lo;
      x = hi;
    }
    p[i] = x;
    this.n = i + 1;
  }

  /** Adder.valueOf */
  value(): number {
    const p = this.partials;
    let n = this.n;
    let x = 0;
    let y = 0;
    let lo = 0;
    let hi = 0;
    if (n > 0) {
      hi = p[--n];
      while (n > 0) {
        x = hi;
        y = p[--n];
        hi = x + y;
        lo = y - (hi - x);
        if (lo) break;
      }
      if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
        y = lo * 2;
        x = hi + y;
        if (y === x - hi) hi = x;
      }
    }
    return hi;
  }
}

// The accumulators of concentrationStatsOfAscending, kept between calls (the model is synchronous,
// and each call resets them before use), so that a call allocates nothing.
const totalSum = new PartialSums();
const hhiSum = new PartialSums();
const giniSum = new PartialSums();
const entropySum = new PartialSums();

/**
 * Splits a share into parts of `partShare` each plus, last, the remainder: 0.135 in parts of 0.01
 * is thirteen parts of 0.01 and one of ≈0.005. The part count is floor(share / partShare + 1e-9)
 * so that 0.03 / 0.01 = 2.9999999999999996 still counts three parts, and a remainder below 1e-12
 * (float residue, possibly slightly negative) is dropped. Consequently the parts may exceed the
 * share by up to 1e-9 parts. A zero share gives no parts; a share below partShare gives [share].
 */
export function splitIntoParts(share: number, partShare: number): number[] {
  // A first call into an empty array checks the arguments and says how many parts there are.
  const needed = splitIntoPartsInto(share, partShare, new Float64Array(0), 0);
  const parts = new Float64Array(needed < 0 ? -needed - 1 : needed);
  splitIntoPartsInto(share, partShare, parts, 0);
  return Array.from(parts);
}

/**
 * splitIntoParts(share, partShare) written into `into` from index `at`: returns the index after the
 * last part, or, where `into` is too short, -(the index needed) - 1 with nothing written past its end.
 */
export function splitIntoPartsInto(share: number, partShare: number, into: Float64Array, at: number): number {
  if (!Number.isFinite(share) || share < 0) {
    throw new RangeError(`splitIntoParts: share is ${String(share)}, expected a finite number >= 0`);
  }
  if (!Number.isFinite(partShare) || partShare <= 0) {
    throw new RangeError(
      `splitIntoParts: partShare is ${String(partShare)}, expected a finite number > 0`,
    );
  }
  const fullPartCount = Math.floor(share / partShare + 1e-9);
  const remainder = share - fullPartCount * partShare;
  const end = at + fullPartCount + (remainder >= 1e-12 ? 1 : 0);
  if (end > into.length) return -end - 1;
  into.fill(partShare, at, at + fullPartCount);
  if (remainder >= 1e-12) into[at + fullPartCount] = remainder;
  return end;
}
