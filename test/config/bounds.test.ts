// Physical bounds: every number of an experiment file has a range, documented in docs/CONFIG.md and
// in the JSON Schema's descriptions; a value beyond it is refused by validate with one line naming
// the file, the field, the value and the range; and at every bound the model runs or the config is
// refused as a user error, never with a model error after the workers started.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentJsonSchema, rangeText, schemaFields, type SchemaNode } from '../../src/config/json-schema.ts';
import { loadExperiment, validateExperiment } from '../../src/config/load.ts';
import { validateConfig } from '../../src/api/config.ts';
import { UserError } from '../../src/config/errors.ts';
import { makePlan } from '../../src/runner/plan.ts';
import { runReplicate } from '../../src/api/run-replicate.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-bounds-');
const cli = cliRunner(60_000);
const numeric = schemaFields(experimentJsonSchema()).filter((f) => f.leaf && rangeText(f.node) !== undefined);
/** sweep parameters take any number: each point is re-validated with its value set */
const UNBOUNDED = new Set(['sweep.parameters[].min', 'sweep.parameters[].max']);

/** docs/CONFIG.md's Type / range cell of each field, by dotted path (`## model.fleet` + `mix[].ageYears`). */
function configDocCells(): Map<string, string> {
  const cells = new Map<string, string>();
  let section = '';
  for (const line of readFileSync(join(ROOT, 'docs', 'CONFIG.md'), 'utf8').split('\n')) {
    const h = /^## (\S+)/.exec(line);
    if (h) section = h[1] === 'Top' ? '' : h[1];
    const m = /^\| `([^`]+)` \| ([^|]*) \|/.exec(line);
    if (m) cells.set(section ? `${section}.${m[1]}` : m[1], m[2]);
  }
  return cells;
}

/** Writes an experiment extending tiny.json with these overrides; returns its path. */
function scenario(overrides: Record<string, unknown>): string {
  const file = join(tmp(), 'x.json');
  writeFileSync(file, JSON.stringify({ extends: TINY, name: 'x', replicates: 2, overrides }));
  return file;
}

describe('bounds of numeric fields', () => {
  it('every number has a lower and an upper bound', () => {
    const open = numeric.filter((f) => !UNBOUNDED.has(f.path)).filter((f) => {
      const r = rangeText(f.node)!;
      return r === 'any number' || r === 'int' || /int >= |∞/.test(r);
    });
    expect(open.map((f) => `${f.path}: ${rangeText(f.node)}`)).toEqual([]);
    expect(numeric.length).toBeGreaterThan(100);
  });

  it('docs/CONFIG.md gives each range as the schema has it', () => {
    const cells = configDocCells();
    const doc = readFileSync(join(ROOT, 'docs', 'CONFIG.md'), 'utf8');
    const wrong: string[] = [];
    for (const f of numeric.filter((x) => !UNBOUNDED.has(x.path))) {
      const r = rangeText(f.node)!;
      const cell = cells.get(f.path);
      if (cell === undefined) {
        // fields described in prose (the events' table, backlog entries): the field's name with its range
        const name = f.path.split('.').pop()!;
        if (!new RegExp(`\`${name}\`[^|\\n]*${r.replace(/[[\]().*+?^$|\\]/g, '\\$&')}`).test(doc)) wrong.push(`${f.path}: no mention of ${r}`);
        continue;
      }
      const same = cell.includes(r) || (r === '[0, 1]' && /\bprob\b/.test(cell) && !/range/.test(cell)) || (r === 'range within [0, 1]' && cell.includes('range of prob'));
      if (!same) wrong.push(`${f.path}: "${cell}" against ${r}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every field description in the JSON Schema carries its range', () => {
    for (const f of numeric) expect(f.node.description, f.path).toContain(`Range: ${rangeText(f.node)}.`);
  });

  it.each([
    ['model.protocol.blocksPerEpoch', 1e15, /model\.protocol\.blocksPerEpoch: 1000000000000000 is not valid \(Too big: expected number to be <=1000000\)/],
    ['model.protocol.targetBlockSeconds', 9e15, /model\.protocol\.targetBlockSeconds: 9000000000000000 is not valid \(Too big: expected number to be <=86400\)/],
    ['model.market.price.startUsd', 1e308, /model\.market\.price\.startUsd: 1e\+308 is not valid \(Too big: expected number to be <=1000000000\)/],
    ['model.market.fees.medianRatio', 1e308, /model\.market\.fees\.medianRatio: 1e\+308 is not valid \(Too big/],
    ['model.market.price.volatilityPerYear', 1e3, /model\.market\.price\.volatilityPerYear: 1000 is not valid \(Too big: expected number to be <=5\)/],
    ['model.concentration.splitPartShare', 1e-300, /model\.concentration\.splitPartShare: 1e-300 is not valid \(Too small: expected number to be >=0\.0001\)/],
    ['model.regions.us.capacityMw', 1e300, /overrides\.model\.regions\.us\.capacityMw \(model\.regions\[0\]\.capacityMw\): 1e\+300 is not valid \(Too big: expected number to be <=10000000\)/],
    ['model.start.date', '0000-01-01', /model\.start\.date: "0000-01-01" is not valid \(expected a date from 2009-01-03 \(the genesis block\) to 2399-12-31\)/],
    ['model.horizon.endDate', '9999-12-31', /model\.horizon\.endDate: "9999-12-31" is not valid \(expected a date from 2009-01-03/],
    ['model.asics.S19.jPerTh', 1e-300, /model\.asics\[0\]\.jPerTh\): 1e-300 is not valid \(Too small: expected number to be >=0\.01\)/],
  ] as const)('refuses %s = %s, naming the file, the field, the value and the range', (path, value, message) => {
    const file = scenario({ [path]: value });
    const { problems } = validateConfig(file);
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0].startsWith(`${file}: `)).toBe(true);
    expect(problems.join('\n')).toMatch(message);
  });

  it('the CLI refuses an extreme with exit 2 and one line, before writing anything', () => {
    const file = scenario({ 'model.market.price.startUsd': 1e308 });
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none', '--workers', '1');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`hashmigrate: ${file}: overrides.model.market.price.startUsd: 1e+308 is not valid (Too big: expected number to be <=1000000000)`]);
    expect(() => readFileSync(out)).toThrow();
  });

  it('a start where no machine is profitable is a config error before the run (exit 2, no output)', () => {
    const file = scenario({ 'model.regions.us.powerPrice.meanUsdPerKwh': 10 });
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none', '--workers', '1');
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^hashmigrate: ${file.replace(/[.\\]/g, '\\$&')}: model\\.regions\\[0\\]: no machine is profitable at the start in region "us" \\(power price 10 USD/kWh`));
    expect(() => readFileSync(out)).toThrow();
  });
});

/** The lowest and highest value a numeric schema node allows (an exclusive bound nudged inside). */
function ends(node: SchemaNode): [number, number] {
  const n = (node.anyOf ?? []).find((b) => b.type === 'number' || b.type === 'integer' || b.prefixItems) ?? node;
  if (n.prefixItems) return ends(n.prefixItems[0]);
  const xlo = n.exclusiveMinimum as number | undefined;
  const lo = (n.minimum as number | undefined) ?? (xlo === 0 ? 1e-9 : xlo! + 1e-9);
  const hi = (n.maximum as number | undefined) ?? (n.exclusiveMaximum as number) - 1e-9;
  return [lo, hi];
}

/** Sets `path` (array elements as `[]`: every element) to `v`; a [min, max] pair gets [v, v]. */
function setEvery(obj: Record<string, unknown>, parts: string[], v: number): void {
  const [head, ...rest] = parts;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!(key in obj)) return;
  const here = obj[key];
  if (rest.length === 0) obj[key] = Array.isArray(here) ? [v, v] : v;
  else if (list) for (const el of here as Record<string, unknown>[]) setEvery(el, rest, v);
  else if (here && typeof here === 'object') setEvery(here as Record<string, unknown>, rest, v);
}

describe('the model at every bound', () => {
  it('runs a replicate, or the config is refused as a user error', { timeout: 240_000 }, () => {
    const base = loadExperiment(TINY).experiment;
    const failures: string[] = [];
    let ran = 0;
    for (const f of numeric.filter((x) => x.path.startsWith('model.'))) {
      // the largest counts of operators and entrant slots are what the memory estimate is for (test/runner/estimate.test.ts)
      if (/^model\.(operators\.count|investment\.entrantSlots)$/.test(f.path)) continue;
      for (const v of ends(f.node)) {
        const e = structuredClone(base);
        e.replicates = 1;
        setEvery(e as unknown as Record<string, unknown>, f.path.split('.'), v);
        if (validateExperiment(TINY, e).problems.length) continue;
        try {
          makePlan(TINY, e);
          const out = runReplicate({ file: TINY, experiment: e });
          expect(out.epochCount).toBeGreaterThan(0);
          ran++;
        } catch (err) {
          if (!(err instanceof UserError)) failures.push(`${f.path} = ${v}: ${(err as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(150);
  });
});
