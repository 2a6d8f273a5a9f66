// Which simulated epoch an observation on a calendar date is compared with. Each replicate has its
// own clock (epochs last 14 days × implied / running hashrate), so the rule uses the replicate's own
// days elapsed: the row of epoch t >= 1 describes what mined between the close of epoch t − 1 and
// the close of epoch t (days elapsed daysElapsed[t − 1] and daysElapsed[t], with daysElapsed[0] = 0;
// docs/OUTPUTS.md, "Timing"). An observation dated D is taken at 12:00 UTC of D, day
// dayOf(D) + 0.5 since the start, and compared with the epoch in force then: the t >= 1 with
// daysElapsed[t − 1] <= day < daysElapsed[t]. Epoch 0 (the state before the first step) is never
// used. A day at or after the replicate's last close has no epoch in force (−1).

/** Noon of an observation's day, in days since the start (its day offset + 0.5). */
export const OBSERVATION_HOUR_FRACTION = 0.5;

/** The epoch in force `day` days after the start in a replicate with these days elapsed, or −1. */
export function epochAtDay(daysElapsed: ArrayLike<number>, day: number): number {
  const E = daysElapsed.length;
  if (E < 2 || !(day >= 0) || day >= daysElapsed[E - 1]) return -1;
  // first t >= 1 whose close is after `day` (closes increase with t)
  let lo = 1;
  let hi = E - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (daysElapsed[mid] > day) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
