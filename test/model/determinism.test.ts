import { beforeAll, describe, expect, it } from 'vitest';
import { resolveParams, type Params } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { seedDigest, type StreamKey } from '../../src/model/rng.ts';
import type { ReplicateOutput } from '../../src/model/output.ts';
import { baselineExperiment, paramsFrom, series } from './support.ts';

const KEY: StreamKey = { rootSeed: 20260401, replicate: 3, point: null };

const bytes = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

let baseline: Params;
let first: ReplicateOutput;
let second: ReplicateOutput;

beforeAll(() => {
  baseline = resolveParams(baselineExperiment().model, null);
  first = simulateReplicate(baseline, KEY);
  second = simulateReplicate(baseline, { ...KEY });
});

describe('simulateReplicate determinism (full baseline)', () => {
  it('the same config, root seed and replicate give bit-identical values', () => {
    expect(bytes(second.values).equals(bytes(first.values))).toBe(true);
  });

  it('the same config, root seed and replicate give identical days elapsed and series keys', () => {
    expect(bytes(second.daysElapsed).equals(bytes(first.daysElapsed))).toBe(true);
    expect(second.series).toEqual(first.series);
  });

  it('the same key gives the same seedDigest, and it is the digest of the stream key', () => {
    expect(second.seedDigest).toBe(first.seedDigest);
    expect(first.seedDigest).toBe(seedDigest(KEY));
  });

  it('a full baseline replicate has the horizon epoch count plus epoch 0', () => {
    expect(first.epochCount).toBe(baseline.epochCount + 1);
    expect(first.values.length).toBe(first.series.length * first.epochCount);
  });

  it('a full baseline replicate has no NaN or infinite value in any series', () => {
    const bad = first.values.findIndex((v) => !Number.isFinite(v));
    expect(bad).toBe(-1);
    expect(first.daysElapsed.every((d) => Number.isFinite(d))).toBe(true);
  });

  it('days elapsed start at 0 and increase every epoch', () => {
    expect(first.daysElapsed[0]).toBe(0);
    for (let e = 1; e < first.epochCount; e++) expect(first.daysElapsed[e]).toBeGreaterThan(first.daysElapsed[e - 1]);
  });

  it('epoch 0 (the initial state) counts no decisions, moves and purchases', () => {
    const counters = [
      'epoch_days',
      'capitulations',
      'capitulated_ehs',
      'entries',
      'reorganisations',
      'relocations_total',
      'ai_pivots',
      'ai_mw',
      'ai_mw_new',
      'secondary_discount',
      'bought_used_ehs',
      'bought_new_ehs',
      'retired_ehs',
      'pipeline_ehs',
      'invested_mw',
    ];
    const atZero = Object.fromEntries(counters.map((m) => [m, series(first, m)[0]]));
    expect(atZero).toEqual(Object.fromEntries(counters.map((m) => [m, 0])));
  });

  it('epoch 0 counts no relocations out of any region or into any destination', () => {
    const perRegion = first.series
      .map((k, s) => ({ ...k, value: first.values[s * first.epochCount] }))
      .filter((k) => k.metric === 'relocations_out' || k.metric === 'relocations' || k.metric === 'relocated_ehs');
    expect(perRegion.length).toBeGreaterThan(0);
    expect(perRegion.filter((k) => k.value !== 0)).toEqual([]);
  });
});

describe('simulateReplicate across keys', () => {
  const small = () =>
    paramsFrom((m) => {
      m.operators.count = 300;
      m.horizon.endDate = '2027-03-31';
    });

  it('a different replicate index gives different values and a different seedDigest', () => {
    const p = small();
    const a = simulateReplicate(p, KEY);
    const b = simulateReplicate(p, { ...KEY, replicate: KEY.replicate + 1 });
    expect(bytes(b.values).equals(bytes(a.values))).toBe(false);
    expect(b.seedDigest).not.toBe(a.seedDigest);
  });

  it('a different root seed gives different values', () => {
    const p = small();
    const a = simulateReplicate(p, KEY);
    const b = simulateReplicate(p, { ...KEY, rootSeed: KEY.rootSeed + 1 });
    expect(bytes(b.values).equals(bytes(a.values))).toBe(false);
  });

  it('running other replicates in between does not change a replicate (no hidden state)', () => {
    const p = small();
    const before = simulateReplicate(p, KEY);
    simulateReplicate(p, { ...KEY, replicate: 99 });
    const after = simulateReplicate(p, KEY);
    expect(bytes(after.values).equals(bytes(before.values))).toBe(true);
  });

  it('simulateReplicate does not modify the params it is given', () => {
    const p = small();
    const snapshot = JSON.stringify(p.config);
    simulateReplicate(p, KEY);
    expect(JSON.stringify(p.config)).toBe(snapshot);
  });
});
