// Unit economics shared by operations, decisions, the secondary market and observation.
/** Energy a machine of `jPerTh` J/TH draws per TH/s per day, kWh (W = TH/s * J/TH). */
export function kwhPerThDay(jPerTh: number): number {
  return (jPerTh * 24) / 1000;
}

/** Revenue per TH/s per day at a hashprice quoted per PH/s per day, USD. */
export function revenuePerThDay(hashpriceUsdPerPhDay: number): number {
  return hashpriceUsdPerPhDay / 1000;
}

/** Margin per TH/s per day before overhead, USD: revenue less power at price p and cooling overhead pue. */
export function marginPerThDay(hashprice: number, jPerTh: number, pue: number, usdPerKwh: number): number {
  return hashprice / 1000 - kwhPerThDay(jPerTh) * pue * usdPerKwh;
}

/** Site MW drawn by `ths` TH/s at `jPerTh` J/TH with cooling overhead `pue`. */
export function megawatts(ths: number, jPerTh: number, pue: number): number {
  return (ths * jPerTh * pue) / 1e6;
}

/** Present value of 1 USD/year paid continuously for `years` at discount rate `rate` per year. */
export function annuity(rate: number, years: number): number {
  if (years <= 0) return 0;
  return rate > 0 ? (1 - Math.exp(-rate * years)) / rate : years;
}

/**
 * Electricity cost of mining one BTC, USD: energy per TH-day times the power price, over the
 * BTC a TH/s earns per day (hashprice / 1000 / BTC price).
 */
export function costPerBtcUsd(
  jPerTh: number,
  pue: number,
  usdPerKwh: number,
  hashpriceUsdPerPhDay: number,
  btcPriceUsd: number,
): number {
  const btcPerThDay = hashpriceUsdPerPhDay / 1000 / btcPriceUsd;
  return (kwhPerThDay(jPerTh) * pue * usdPerKwh) / btcPerThDay;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Expected margin per TH/s per day of a machine that runs only when it pays (shut-in), when the
 * hashprice is log-normal around `hashprice` (mean) with log standard deviation `sdLog`:
 * E[max(h X - c, 0)] = h N(d1) - c N(d2) (the value of the shut-in option). With sdLog = 0 it is
 * max(0, marginPerThDay).
 */
export function expectedRunMarginPerThDay(hashprice: number, jPerTh: number, pue: number, usdPerKwh: number, sdLog: number): number {
  const h = hashprice / 1000;
  const cost = kwhPerThDay(jPerTh) * pue * usdPerKwh;
  if (!(sdLog > 0) || cost <= 0 || h <= 0) return Math.max(0, h - cost);
  const d1 = (Math.log(h / cost) + (sdLog * sdLog) / 2) / sdLog;
  return h * normalCdf(d1) - cost * normalCdf(d1 - sdLog);
}

/**
 * The standard normal quantile of q in (0, 1), by bisection on normalCdf (monotone; to the precision of
 * a double in 64 halvings of [-10, 10]); q <= 0 gives -10, q >= 1 gives 10.
 */
export function normalQuantile(q: number): number {
  let lo = -10;
  let hi = 10;
  for (let k = 0; k < 64; k++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
