import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExperiment, mergeConfig, resolveRaw, validateExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';

const BASELINE = fileURLToPath(new URL('../../configs/baseline.json', import.meta.url));

let dir: string;
let baselineRaw: Record<string, any>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashmigrate-load-'));
  baselineRaw = JSON.parse(readFileSync(BASELINE, 'utf8'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` (or an object as JSON) to a file in the temp folder; returns its path. */
function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** A copy of the baseline, edited in place by `edit`, written to a temp file. */
function baselineWith(name: string, edit: (raw: Record<string, any>) => void): string {
  const raw = structuredClone(baselineRaw);
  edit(raw);
  return write(name, raw);
}

/** The UserError message loading `file` throws (fails the test if it loads). */
function loadError(file: string): string {
  try {
    loadExperiment(file);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('loadExperiment', () => {
  it('loadExperiment(configs/baseline.json) loads the baseline', () => {
    const { file, experiment } = loadExperiment(BASELINE);
    expect(file).toBe(BASELINE);
    expect(experiment.name).toBe(baselineRaw.name);
    expect(experiment.model.regions.map((r) => r.id)).toEqual(baselineRaw.model.regions.map((r: { id: string }) => r.id));
    expect(experiment.model.operators.count).toBe(baselineRaw.model.operators.count);
  });

  it('loadExperiment names an unknown key with its path', () => {
    const file = baselineWith('unknown-key.json', (raw) => {
      raw.model.regions[0].capacityMW = 100;
    });
    expect(loadError(file)).toMatch(/model\.regions\[0\]: unknown key "capacityMW"/);
  });

  it('loadExperiment names the file in every message', () => {
    const file = baselineWith('unknown-key-file.json', (raw) => {
      raw.model.regions[0].capacityMW = 100;
    });
    expect(loadError(file).startsWith(`${file}: `)).toBe(true);
  });

  it('loadExperiment names a negative capacity with its path and value', () => {
    const file = baselineWith('negative-capacity.json', (raw) => {
      raw.model.regions[3].capacityMw = -5;
    });
    expect(loadError(file)).toMatch(/model\.regions\[3\]\.capacityMw: -5 is not valid/);
  });

  it('loadExperiment names an unknown destination region and the known ones', () => {
    const file = baselineWith('unknown-destination.json', (raw) => {
      raw.model.decisions.destinations = ['py', 'et', 'mars'];
    });
    const message = loadError(file);
    expect(message).toMatch(/model\.decisions\.destinations\[2\]: "mars" is not a known region/);
    expect(message).toMatch(/expected one of us, ru, cn/);
  });

  it('loadExperiment names an unknown region in a scripted event', () => {
    const file = baselineWith('unknown-event-region.json', (raw) => {
      raw.model.events = [{ date: '2027-01-01', kind: 'ban', region: 'atlantis' }];
    });
    expect(loadError(file)).toMatch(/model\.events\[0\]\.region: "atlantis" is not a known region/);
  });

  it('loadExperiment refuses a ban that ends on or before its date, and an outage share above 1', () => {
    const early = baselineWith('ban-ends-early.json', (raw) => {
      raw.model.events = [{ date: '2027-01-01', kind: 'ban', region: 'cn', fraction: 0.5, endDate: '2027-01-01' }];
    });
    expect(loadError(early)).toMatch(/model\.events\[0\]\.endDate: "2027-01-01" is not valid \(expected a date after the ban's date 2027-01-01\)$/);
    const share = baselineWith('outage-share.json', (raw) => {
      raw.model.events = [{ date: '2027-01-01', kind: 'outage', region: 'us', days: 30, fraction: 1.5 }];
    });
    expect(loadError(share)).toMatch(/model\.events\[0\]\.fraction: 1\.5 is not valid/);
  });

  it('loadExperiment names the line and column of a JSON syntax error (trailing comma)', () => {
    const file = write('trailing-comma.json', '{\n  "name": "x",\n  "seed": 1,\n}\n');
    expect(loadError(file)).toMatch(/not valid JSON at line 4, column 1/);
  });

  it('loadExperiment names the line and column of a JSON syntax error (unexpected token)', () => {
    // Node 20 words this error without a position ("Unexpected token '}', ... is not valid JSON").
    const file = write('unexpected-token.json', '{\n  "name": "x",\n  "seed": }\n');
    expect(loadError(file)).toMatch(/not valid JSON at line 3, column 11/);
  });

  it('loadExperiment reports a JSON syntax error on one line', () => {
    const file = write('unexpected-token-one-line.json', '{\n  "name": "x",\n  "seed": }\n');
    expect(loadError(file)).not.toMatch(/\n/);
  });

  it('loadExperiment reports a missing file by name', () => {
    const file = join(dir, 'does-not-exist.json');
    expect(loadError(file)).toBe(`${file}: cannot read the file (no such file)`);
  });

  it('loadExperiment applies extends (an absolute path) and a dotted override by region id', () => {
    const file = write('extends.json', {
      extends: BASELINE,
      overrides: { 'model.regions.us.powerPrice.meanUsdPerKwh': 0.096 },
    });
    const { experiment } = loadExperiment(file);
    const us = experiment.model.regions.find((r) => r.id === 'us')!;
    expect(us.powerPrice.meanUsdPerKwh).toBe(0.096);
  });

  it('loadExperiment with extends keeps every base field the override does not touch', () => {
    const file = write('extends-rest.json', {
      extends: BASELINE,
      overrides: { 'model.regions.us.powerPrice.meanUsdPerKwh': 0.096 },
    });
    const { experiment } = loadExperiment(file);
    const expected = structuredClone(loadExperiment(BASELINE).experiment);
    expected.model.regions[0].powerPrice.meanUsdPerKwh = 0.096;
    expect(experiment).toEqual(expected);
  });

  it('loadExperiment with extends resolves a relative base path against the scenario file', () => {
    writeFileSync(join(dir, 'base-copy.json'), readFileSync(BASELINE));
    const file = write('extends-relative.json', { extends: './base-copy.json', name: 'relative-child' });
    const { experiment } = loadExperiment(file);
    expect(experiment.name).toBe('relative-child');
    expect(experiment.model.operators.count).toBe(baselineRaw.model.operators.count);
  });

  it('loadExperiment validates the merged result (a bad override value names the override key and the field)', () => {
    const file = write('extends-bad-value.json', {
      extends: BASELINE,
      overrides: { 'model.regions.us.powerPrice.meanUsdPerKwh': -1 },
    });
    expect(loadError(file)).toMatch(/: overrides\.model\.regions\.us\.powerPrice\.meanUsdPerKwh \(model\.regions\[0\]\.powerPrice\.meanUsdPerKwh\): -1 is not valid/);
  });

  it('loadExperiment rejects an override path with a misspelt field', () => {
    const file = write('override-typo.json', {
      extends: BASELINE,
      overrides: { 'model.regions.us.powerPrice.meanUsdPerKWh': 0.096 },
    });
    expect(loadError(file)).toMatch(/overrides\.model\.regions\.us\.powerPrice\.meanUsdPerKWh: no field "model\.regions\.us\.powerPrice\.meanUsdPerKWh" to override/);
  });

  it('loadExperiment rejects an override path with an unknown region id', () => {
    const file = write('override-region.json', {
      extends: BASELINE,
      overrides: { 'model.regions.usa.powerPrice.meanUsdPerKwh': 0.096 },
    });
    expect(loadError(file)).toMatch(/no element with id or name "usa"/);
  });

  it('loadExperiment rejects a circular extends', () => {
    write('loop-a.json', { extends: './loop-b.json' });
    const b = write('loop-b.json', { extends: './loop-a.json' });
    expect(loadError(b)).toMatch(/circular reference/);
  });
});

describe('validateExperiment', () => {
  it('validateExperiment returns every problem, one line each', () => {
    const raw = structuredClone(baselineRaw);
    raw.model.regions[3].capacityMw = -5;
    raw.model.regions[4].pue = 0.5;
    const { experiment, problems } = validateExperiment('x.json', raw);
    expect(experiment).toBeUndefined();
    expect(problems.length).toBe(2);
    expect(problems.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('validateExperiment rejects region shares adding up to more than 1', () => {
    const raw = structuredClone(baselineRaw);
    raw.model.regions[0].share = 0.9;
    expect(validateExperiment('x.json', raw).problems[0]).toMatch(/model\.regions: shares add up to .* \(expected at most 1\)/);
  });
});

describe('resolveRaw and mergeConfig', () => {
  it('resolveRaw drops extends and overrides from the resolved object', () => {
    const file = write('resolve.json', { extends: BASELINE, overrides: { seed: 7 } });
    const raw = resolveRaw(file) as Record<string, unknown>;
    expect('extends' in raw || 'overrides' in raw).toBe(false);
    expect(raw.seed).toBe(7);
  });

  it('mergeConfig merges objects key by key and replaces arrays and scalars', () => {
    const base = { a: { x: 1, y: 2 }, list: [1, 2, 3], s: 'old' };
    expect(mergeConfig(base, { a: { y: 5 }, list: [9], s: 'new' })).toEqual({ a: { x: 1, y: 5 }, list: [9], s: 'new' });
  });

  it('mergeConfig leaves its inputs unchanged', () => {
    const base = { a: { x: 1 } };
    const over = { a: { y: 2 } };
    mergeConfig(base, over);
    expect([base, over]).toEqual([{ a: { x: 1 } }, { a: { y: 2 } }]);
  });
});
