// Paired differences between two arms run with common random numbers: replicate i of the arm and
// replicate i of the base share their random streams, so arm_i − base_i removes the noise the two
// have in common. The interval of the mean difference is the paired t interval; the unpaired (Welch)
// interval, which ignores the pairing, is given beside it to show what the pairing buys.
import { fsum } from 'd3-array';
import { describe } from './summary.ts';
import { tQuantile } from './student-t.ts';

export interface PairedDifference {
  /** number of pairs */
  n: number;
  baseMean: number;
  armMean: number;
  /** mean of arm_i − base_i (equal to armMean − baseMean up to rounding) */
  mean: number;
  /** sample sd of the differences (n − 1) */
  sd: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  /** 95% interval of the mean difference: mean ± t_{0.975, n−1} sd / √n; null for n = 1 */
  low: number | null;
  high: number | null;
  /** Welch's 95% interval of armMean − baseMean as if the arms were independent samples; null for n = 1 */
  unpairedLow: number | null;
  unpairedHigh: number | null;
  /** Pearson correlation of base and arm across replicates; null when either does not vary */
  correlation: number | null;
}

/** Confidence level of the intervals. */
export const CONFIDENCE = 0.95;

/** Half-width t · se, with 0 when se is 0 (every difference equal: the interval is the point). */
function halfWidth(se: number, df: number): number {
  return se === 0 ? 0 : tQuantile(1 - (1 - CONFIDENCE) / 2, df) * se;
}

/**
 * The paired difference arm − base over replicates 0 … n−1 (equal lengths required). `label` names the
 * quantity in the error for a non-finite value.
 */
export function pairedDifference(base: Float64Array | readonly number[], arm: Float64Array | readonly number[], label: string): PairedDifference {
  const n = base.length;
  if (arm.length !== n) throw new Error(`${label}: ${arm.length} arm values against ${n} base values; expected one per replicate`);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = arm[i] - base[i];
  const d = describe(diff, `${label} (difference)`);
  const b = describe(base, `${label} (base)`);
  const a = describe(arm, `${label} (arm)`);
  let low: number | null = null;
  let high: number | null = null;
  let unpairedLow: number | null = null;
  let unpairedHigh: number | null = null;
  let correlation: number | null = null;
  if (n > 1) {
    const h = halfWidth(d.sd / Math.sqrt(n), n - 1);
    low = d.mean - h;
    high = d.mean + h;
    // Welch–Satterthwaite degrees of freedom for two samples of n each.
    const vb = (b.sd * b.sd) / n;
    const va = (a.sd * a.sd) / n;
    const se = Math.sqrt(va + vb);
    const df = se === 0 ? n - 1 : ((va + vb) * (va + vb)) / ((va * va + vb * vb) / (n - 1));
    const u = halfWidth(se, df);
    unpairedLow = a.mean - b.mean - u;
    unpairedHigh = a.mean - b.mean + u;
    if (a.sd > 0 && b.sd > 0) {
      const products = new Float64Array(n);
      for (let i = 0; i < n; i++) products[i] = (arm[i] - a.mean) * (base[i] - b.mean);
      correlation = Math.max(-1, Math.min(1, fsum(products) / (n - 1) / (a.sd * b.sd)));
    }
  }
  return { n, baseMean: b.mean, armMean: a.mean, mean: d.mean, sd: d.sd, p05: d.p05, p25: d.p25, p50: d.p50, p75: d.p75, p95: d.p95, low, high, unpairedLow, unpairedHigh, correlation };
}
