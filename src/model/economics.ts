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
