// Scripted events of issue 14: a ban of a share of a region's load, a ban with an end date, and an
// outage that stops machines for some days without forcing any decision.
import { describe, expect, it } from 'vitest';
import type { EventConfig } from '../../src/config/schema.ts';
import { pickShare } from '../../src/model/events.ts';
import { initialState } from '../../src/model/init.ts';
import type { Params } from '../../src/model/params.ts';
import { Stream, createStreams } from '../../src/model/rng.ts';
import { createScratch, step } from '../../src/model/simulate.ts';
import { EXITED, MINING, type State } from '../../src/model/state.ts';
import { dayOf } from '../../src/model/time.ts';
import { ensemble, mean, paramsFrom, series } from './support.ts';

const EVENT_DATE = '2026-06-01';

/** The baseline with 600 operators to `endDate`, with `events` scripted. */
function small(events: EventConfig[], endDate = '2027-03-31'): Params {
  return paramsFrom((m) => {
    m.operators.count = 600;
    m.horizon.endDate = endDate;
    m.events = events;
  });
}

/** Steps a replicate up to the epoch whose start day is the first on or after `day`; returns its state and a stepper. */
function upTo(p: Params, replicate: number, day: number) {
  const rng = createStreams({ rootSeed: 11, replicate, point: null });
  const s = initialState(p, rng);
  const x = createScratch(p);
  const next = () => step(p, s, rng, x);
  while (s.day < day) next();
  return { s, next };
}

function miningIn(s: State, r: number): number[] {
  const ops: number[] = [];
  for (let o = 0; o < s.opStatus.length; o++) if (s.opStatus[o] === MINING && s.opRegion[o] === r) ops.push(o);
  return ops;
}

describe('pickShare(weight, target, rng, take)', () => {
  it('misses the target by at most half the largest weight, and takes each entity at most once', () => {
    const rng = new Stream('pick-share-test');
    for (let trial = 0; trial < 200; trial++) {
      const weight = Float64Array.from({ length: 1 + rng.integer(0, 60) }, () => (rng.chance(0.2) ? 0 : rng.uniform() ** -1.5));
      const total = weight.reduce((a, b) => a + b, 0);
      const target = rng.uniform() * total;
      const taken = new Set<number>();
      const sum = pickShare(weight, target, rng, (i) => {
        expect(taken.has(i)).toBe(false);
        expect(weight[i]).toBeGreaterThan(0);
        taken.add(i);
      });
      expect(sum).toBeCloseTo([...taken].reduce((a, i) => a + weight[i], 0), 9);
      expect(Math.abs(sum - target)).toBeLessThanOrEqual(Math.max(...weight) / 2 + 1e-9);
    }
  });
});

describe('a ban of a share of a region (fraction)', () => {
  const fraction = 0.4;
  const banned = small([{ kind: 'ban', region: 'cn', date: EVENT_DATE, fraction }]);
  const free = small([]);
  const cn = banned.regionIndex.get('cn')!;

  it.each([0, 1, 2, 3])('moves that share of the region\'s MW out in the epoch of the ban (replicate %i)', (replicate) => {
    const leftShare = (p: Params) => {
      const { s, next } = upTo(p, replicate, dayOf(EVENT_DATE, p.config.start.date));
      const before = miningIn(s, cn);
      const mw = before.map((o) => s.opSiteMw[o]);
      const load = mw.reduce((a, b) => a + b, 0);
      next();
      let left = 0;
      before.forEach((o, i) => {
        if (!(s.opStatus[o] === MINING && s.opRegion[o] === cn)) left += mw[i];
      });
      return { share: left / load, halfLargest: Math.max(...mw) / 2 / load, s };
    };
    const withBan = leftShare(banned);
    const without = leftShare(free);
    // The operators are picked whole (pickShare: within half the largest site of the target), and
    // operators due for review may leave by choice in the same epoch, as they do without the ban.
    expect(Math.abs(withBan.share - fraction)).toBeLessThanOrEqual(withBan.halfLargest + without.share);
    expect(withBan.share).toBeGreaterThan(fraction / 2);
    // China stays open to the rest: it is not banned as a whole.
    expect(withBan.s.regionBanned[cn]).toBe(0);
  });

  it('lowers the region\'s hashrate by about that share, where a whole ban takes it to 0', () => {
    const drop = (p: Params) =>
      ensemble(p, 4, 3).map((out) => {
        const h = series(out, 'region_hashrate_ehs', 'cn');
        const e = Array.from(out.daysElapsed).findIndex((d) => d >= dayOf(EVENT_DATE, p.config.start.date)) + 1;
        return h[e] / h[e - 1];
      });
    const partial = drop(banned);
    expect(mean(partial)).toBeGreaterThan(1 - fraction - 0.1);
    expect(mean(partial)).toBeLessThan(1 - fraction + 0.1);
    expect(drop(small([{ kind: 'ban', region: 'cn', date: EVENT_DATE }]))).toEqual([0, 0, 0, 0]);
  });
});

describe('a ban with an end date', () => {
  const end = '2027-01-01';
  const horizon = '2028-06-30';
  const last = (p: Params) => ensemble(p, 5, 9).map((out) => series(out, 'region_hashrate_ehs', 'cn')[out.epochCount - 1]);

  it('lets the region recover after it ends, where a ban without an end keeps it at 0', () => {
    const ended = last(small([{ kind: 'ban', region: 'cn', date: EVENT_DATE, endDate: end }], horizon));
    const forever = last(small([{ kind: 'ban', region: 'cn', date: EVENT_DATE }], horizon));
    expect(forever).toEqual([0, 0, 0, 0, 0]);
    for (const h of ended) expect(h).toBeGreaterThan(20);
  });

  it('a partial ban with an end date lets entrants back onto the banned sites', () => {
    const ended = last(small([{ kind: 'ban', region: 'cn', date: EVENT_DATE, fraction: 0.5, endDate: end }], horizon));
    const forever = last(small([{ kind: 'ban', region: 'cn', date: EVENT_DATE, fraction: 0.5 }], horizon));
    expect(mean(ended)).toBeGreaterThan(1.3 * mean(forever));
  });

  it('stops forcing the banned operators\' decisions once it ends', () => {
    const p = small([{ kind: 'ban', region: 'cn', date: EVENT_DATE, fraction: 0.5, endDate: end }], horizon);
    const { s, next } = upTo(p, 0, dayOf(EVENT_DATE, p.config.start.date));
    next();
    const held = [];
    for (let o = 0; o < s.opStatus.length; o++) if (s.opBanEndDay[o] > 0) held.push(o);
    expect(held.length).toBeGreaterThan(0);
    while (s.day < dayOf(end, p.config.start.date)) next();
    next();
    // After the end some of those sites have an entrant again, mining in China.
    const back = held.filter((o) => s.opStatus[o] === MINING && s.opRegion[o] === p.regionIndex.get('cn'));
    while (s.day < dayOf('2028-01-01', p.config.start.date) && back.length === 0) {
      next();
      back.push(...held.filter((o) => s.opStatus[o] === MINING && s.opRegion[o] === p.regionIndex.get('cn')));
    }
    expect(back.length).toBeGreaterThan(0);
  });
});

describe('an outage', () => {
  const fraction = 0.5;
  const days = 42;
  const withOutage = small([{ kind: 'outage', region: 'us', date: EVENT_DATE, days, fraction }]);
  const free = small([]);
  const start = dayOf(EVENT_DATE, free.config.start.date);
  const R = 12;
  const a = ensemble(withOutage, R, 5);
  const b = ensemble(free, R, 5);
  /** Epoch indices whose start day lies in [from, to) in one replicate's output. */
  const epochsIn = (days: Float64Array, from: number, to: number) => {
    const out: number[] = [];
    for (let e = 1; e < days.length; e++) if (days[e - 1] >= from && days[e - 1] < to) out.push(e);
    return out;
  };

  it('stops that share of the region\'s running hashrate while it lasts', () => {
    for (let r = 0; r < R; r++) {
      const [first] = epochsIn(a[r].daysElapsed, start, start + days);
      // Up to the outage both runs are the same, so the first epoch compares like with like.
      const ratio = series(a[r], 'region_hashrate_ehs', 'us')[first] / series(b[r], 'region_hashrate_ehs', 'us')[first];
      expect(ratio).toBeGreaterThan(1 - fraction - 0.05);
      expect(ratio).toBeLessThan(1 - fraction + 0.05);
    }
  });

  it('restores the hashrate after it ends', () => {
    const ratios: number[] = [];
    for (let r = 0; r < R; r++) {
      const after = epochsIn(a[r].daysElapsed, start + days, start + days + 56);
      const ha = series(a[r], 'region_hashrate_ehs', 'us');
      const hb = series(b[r], 'region_hashrate_ehs', 'us');
      for (const e of after) ratios.push(ha[e] / hb[e]);
    }
    expect(mean(ratios)).toBeGreaterThan(0.9);
    expect(mean(ratios)).toBeLessThan(1.1);
  });

  it('forces no decision: the operators it stops capitulate no more often during it than in the run without it', () => {
    let hitExits = 0;
    let sameOpsExitsWithout = 0;
    for (let replicate = 0; replicate < R; replicate++) {
      const runA = upTo(withOutage, replicate, start);
      const runB = upTo(free, replicate, start);
      runA.next();
      runB.next();
      const hit: number[] = [];
      for (let o = 0; o < runA.s.opStatus.length; o++) if (runA.s.opOutEndDay[o] > 0) hit.push(o);
      expect(hit.length).toBeGreaterThan(0);
      const negative = hit.map((o) => runA.s.opNegativeEpochs[o]);
      // An operator that exits may leave its site to an entrant in the same slot within the same
      // epoch (the entrant negotiates its own power contract): exits are recorded epoch by epoch,
      // by status or by a new contract, so a slot taken over is not mistaken for the operator hit.
      const exitedA = hit.map(() => false);
      const exitedB = hit.map(() => false);
      const contractA = hit.map((o) => runA.s.opContract[o]);
      const contractB = hit.map((o) => runB.s.opContract[o]);
      while (runA.s.day < start + days) {
        runA.next();
        hit.forEach((o, i) => (exitedA[i] ||= runA.s.opStatus[o] === EXITED || runA.s.opContract[o] !== contractA[i]));
      }
      while (runB.s.day < start + days) {
        runB.next();
        hit.forEach((o, i) => (exitedB[i] ||= runB.s.opStatus[o] === EXITED || runB.s.opContract[o] !== contractB[i]));
      }
      // The insolvency count of a stopped operator stands still while it is stopped.
      hit.forEach((o, i) => {
        if (!exitedA[i] && runA.s.opStatus[o] === MINING && runA.s.opOutEndDay[o] > 0) expect(runA.s.opNegativeEpochs[o]).toBe(negative[i]);
      });
      hitExits += exitedA.filter(Boolean).length;
      sameOpsExitsWithout += exitedB.filter(Boolean).length;
    }
    expect(hitExits).toBeLessThanOrEqual(sameOpsExitsWithout);
  });
});
