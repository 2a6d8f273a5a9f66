// Regions: mean-reverting power prices and random policy events (scripted events: events.ts).
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { refreshRegionPrices } from './state.ts';
import { yearsOf } from './time.ts';

/** Initial regional state: prices at their means, caps and allocation status from the config. */
export function initRegions(p: Params, s: State): void {
  p.config.regions.forEach((r, i) => {
    s.regionLogPrice[i] = Math.log(r.powerPrice.meanUsdPerKwh);
    s.regionTariff[i] = 1;
    s.regionBanned[i] = 0;
    s.regionBanEndDay[i] = Infinity;
    s.regionOpen[i] = r.allocationsOpen ? 1 : 0;
    s.regionCapMw[i] = r.capacityMw ?? Infinity;
  });
  refreshRegionPrices(s);
}

/**
 * Power prices follow an Ornstein-Uhlenbeck process in logs around ln(mean), with reversion
 * speed theta and volatility sigma per year (exact discretisation over `days`).
 */
export function stepPowerPrices(p: Params, s: State, days: number, rng: Stream): void {
  const dt = yearsOf(days);
  p.config.regions.forEach((r, i) => {
    const theta = r.powerPrice.reversionPerYear;
    const sigma = r.powerPrice.volatilityPerYear;
    const mu = Math.log(r.powerPrice.meanUsdPerKwh);
    const decay = Math.exp(-theta * dt);
    const sd = theta > 0 ? sigma * Math.sqrt((1 - decay * decay) / (2 * theta)) : sigma * Math.sqrt(dt);
    s.regionLogPrice[i] = mu + (s.regionLogPrice[i] - mu) * decay + sd * rng.normal();
  });
}

/** Random policy events: each kind arrives as a Poisson process with its yearly hazard. */
export function drawPolicyEvents(p: Params, s: State, days: number, rng: Stream): void {
  const dt = yearsOf(days);
  p.config.regions.forEach((r, i) => {
    const ban = rng.uniform() < 1 - Math.exp(-r.policy.banPerYear * dt);
    const hike = rng.uniform() < 1 - Math.exp(-r.policy.tariffHikePerYear * dt);
    const freeze = rng.uniform() < 1 - Math.exp(-r.policy.freezePerYear * dt);
    if (ban && !s.regionBanned[i]) {
      s.regionBanned[i] = 1;
      s.regionBanEndDay[i] = Infinity;
      s.regionShock[i] = 1;
    }
    if (hike) {
      s.regionTariff[i] *= r.policy.tariffHikeFactor;
      s.regionShock[i] = 1;
    }
    if (freeze) s.regionOpen[i] = 0;
  });
}
