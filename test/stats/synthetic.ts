// Synthetic samples with known distributions for the backtest statistics' tests: seeded normal
// draws (Box–Muller on seedrandom's xor4096) and the standard normal's CDF and density.
import seedrandom from 'seedrandom';

/** n draws from N(mean, sd), the same for the same seed. */
export function normalSample(n: number, mean: number, sd: number, seed: string): Float64Array {
  const rng = seedrandom.xor4096(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rng.double();
    const v = rng.double();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + sd * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + sd * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

export const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
export const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
