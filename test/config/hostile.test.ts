// Hostile experiment files: prototype keys, deep nesting, impossible dates, duplicates, a sweep over
// run settings and a horizon no epoch can reach are each one problem line, never a crash, and never
// reach an object prototype.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { checkExperimentFile } from '../../src/config/check.ts';
import { loadExperiment, mergeConfig } from '../../src/config/load.ts';
import { setPath } from '../../src/config/paths.ts';
import { UserError } from '../../src/config/errors.ts';
import { readPricePath } from '../../src/io/price-path.ts';

const TINY = fileURLToPath(new URL('../fixtures/tiny.json', import.meta.url));
const tmp = tempDirs('hm-hostile-');

function write(text: string): string {
  const file = join(tmp(), 'x.json');
  writeFileSync(file, text);
  return file;
}

/** A file extending tiny.json with `body` (an object, or JSON text spliced in after "extends"). */
function extending(body: Record<string, unknown> | string): string {
  const extra = typeof body === 'string' ? body : JSON.stringify(body).slice(1, -1);
  return write(`{"extends":${JSON.stringify(TINY)},"name":"x"${extra ? `,${extra}` : ''}}`);
}

/** Every problem line of a file that must be refused. */
function problems(file: string): string[] {
  const { experiment, problems } = checkExperimentFile(file);
  expect(experiment).toBeUndefined();
  expect(problems.length).toBeGreaterThan(0);
  return problems;
}

const prototypeIntact = () => {
  expect(Object.prototype.toString.call([])).toBe('[object Array]');
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(typeof Object.prototype.hasOwnProperty).toBe('function');
};

describe('reserved keys never reach a prototype', () => {
  it.each([
    ['an override through __proto__', { overrides: { '__proto__.toString': 1 } }, /overrides\.__proto__\.toString: "__proto__" is a reserved name/],
    ['an override of __proto__.hasOwnProperty', { overrides: { '__proto__.hasOwnProperty': 0 } }, /"__proto__" is a reserved name/],
    ['an override through constructor', { overrides: { 'model.constructor.prototype.x': 1 } }, /"constructor" is a reserved name/],
    ['an override ending in prototype', { overrides: { 'model.prototype': 1 } }, /"prototype" is a reserved name/],
  ])('refuses %s', (_what, body, message) => {
    const lines = problems(extending(body));
    expect(lines.join('\n')).toMatch(message);
    prototypeIntact();
  });

  it.each([
    ['at the top level', '"__proto__":{"x":1}', /x\.json: __proto__: "__proto__" is a reserved name/],
    ['inside model', '"model":{"__proto__":{"x":1}}', /x\.json: model\.__proto__: "__proto__" is a reserved name/],
    ['as a constructor key in a list', '"model":{"regions":[{"constructor":1}]}', /x\.json: model\.regions\[0\]\.constructor: "constructor" is a reserved name/],
  ])('refuses a __proto__-like key %s, in the file that holds it', (_what, body, message) => {
    const lines = problems(extending(body));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    prototypeIntact();
  });

  it('refuses a reserved segment in a sweep path', () => {
    const lines = problems(extending({ sweep: { design: 'grid', points: 2, parameters: [{ path: 'model.__proto__.x', min: 0, max: 1 }] } }));
    expect(lines.join('\n')).toMatch(/sweep\.parameters\[0\]\.path: "model\.__proto__\.x" is not valid \("__proto__" is a reserved name/);
  });

  it('an override must name an own field, not an inherited member', () => {
    const lines = problems(extending({ overrides: { 'model.toString': 1, 'model.regions.us.hasOwnProperty': 2 } }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/overrides\.model\.toString: no field "model\.toString" to override/);
    expect(lines[1]).toMatch(/overrides\.model\.regions\.us\.hasOwnProperty: no field/);
  });

  it('mergeConfig and setPath do not follow inherited members', () => {
    const merged = mergeConfig({ a: 1 }, JSON.parse('{"toString":{"x":1}}')) as Record<string, unknown>;
    expect(Object.hasOwn(merged, 'toString')).toBe(true);
    expect(() => setPath({ a: { b: 1 } }, 'a.constructor', 1)).toThrow(/reserved name/);
    expect(() => setPath({ a: { b: 1 } }, 'a.toString', 1)).toThrow(/no field "a\.toString"/);
    prototypeIntact();
  });
});

describe('deep nesting', () => {
  it.each([
    ['lists', `"x":${'['.repeat(5000)}1${']'.repeat(5000)}`, /x\.json: x\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\.\.\.: nested more than 64 levels deep/],
    ['objects', `"model":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, /x\.json: model\.a\.a\.a\.a\.a\.a\.a\.\.\.: nested more than 64 levels deep/],
  ])('refuses %s nested 5,000 deep with one short line', (_what, body, message) => {
    const lines = problems(extending(body));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0].length).toBeLessThan(300);
  });
});

describe('impossible dates', () => {
  it.each([
    ['model.start.date', '2026-02-31'],
    ['model.horizon.endDate', '2027-02-29'],
    ['model.asics.S19.releaseDate', '2021-04-31'],
  ])('refuses %s %s', (path, date) => {
    const lines = problems(extending({ overrides: { [path]: date } }));
    expect(lines.join('\n')).toMatch(new RegExp(`"${date}" is not valid \\(expected a date that exists in the calendar\\)`));
  });

  it('refuses an impossible event date', () => {
    const lines = problems(extending({ overrides: { 'model.events': [{ kind: 'ban', region: 'us', date: '2026-06-31' }] } }));
    expect(lines.join('\n')).toMatch(/model\.events\[0\]\.date\)?: "2026-06-31" is not valid \(expected a date that exists in the calendar\)/);
  });

  it('accepts 29 February of a leap year', () => {
    expect(checkExperimentFile(extending({ overrides: { 'model.asics.S19.releaseDate': '2024-02-29' } })).problems).toEqual([]);
  });

  it('refuses an impossible date in a price path row', () => {
    const csv = join(tmp(), 'prices.csv');
    writeFileSync(csv, 'date,price\n2026-03-01,70000\n2027-02-29,60000\n');
    expect(() => readPricePath(csv, 'pathCsv')).toThrow(/line 3: date "2027-02-29" is not valid/);
  });
});

describe('accepted nonsense that is now refused', () => {
  it('refuses a destination listed twice', () => {
    const lines = problems(extending({ overrides: { 'model.decisions.destinations': ['py', 'et', 'py'] } }));
    expect(lines.join('\n')).toMatch(/destinations\[2\]\)?: "py" is not valid \(expected each destination once; it is also destinations\[0\]\)/);
  });

  it('refuses two ASIC models of one name', () => {
    const lines = problems(extending({ overrides: { 'model.asics.S19j Pro.name': 'S19' } }));
    expect(lines.join('\n')).toMatch(/asics\[1\]\.name\)?: "S19" is not valid \(expected a unique ASIC model name/);
  });

  it('refuses a sweep over replicates or seed', () => {
    for (const [path, multiply] of [['replicates', false], ['seed', false], ['replicates', true]] as const) {
      const lines = problems(extending({ sweep: { design: 'grid', points: 2, parameters: [{ path, min: 1, max: 3, multiply }] } }));
      expect(lines.join('\n')).toMatch(new RegExp(`sweep\\.parameters\\[0\\]\\.path: "${path}" is not valid \\(expected a path inside model`));
    }
  });

  it('refuses a grid of 10^12 points before building it', () => {
    const parameters = [1, 2, 3].map(() => ({ path: 'model.market.price.volatilityPerYear', min: 0.1, max: 1 }));
    const started = performance.now();
    const lines = problems(extending({ sweep: { design: 'grid', points: 10_000, parameters } }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(lines.join('\n')).toMatch(/sweep\.points: 10000 is not valid \(a grid design over 3 parameters then has 1\.000e\+12 points; expected at most 100000\)/);
  });

  it('refuses a name too long for a folder', () => {
    const lines = problems(extending({ name: 'n'.repeat(300) }));
    expect(lines.join('\n')).toMatch(/name: "n+\.\.\. is not valid \(expected at most 100 characters\)/);
  });
});

describe('names echoed in messages', () => {
  it('refuses an ASIC or region name with a control character', () => {
    const lines = problems(extending({ overrides: { 'model.asics.S19.name': 'S19\nhashmigrate: all good', 'model.regions.us.name': 'US\u001b[31m' } }));
    expect(lines.join('\n')).toMatch(/asics\[0\]\.name\)?: "S19\\nhashmigrate: all good" is not valid \(expected printable characters/);
    expect(lines.join('\n')).toMatch(/regions\[0\]\.name\)?: "US\\u001b\[31m" is not valid \(expected printable characters/);
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f]/);
  });

  it('quotes and cuts an unknown fleet model, however long or strange', () => {
    const started = performance.now();
    const lines = problems(extending({ overrides: { 'model.fleet.mix.0.model': `\u001b[2J${'x'.repeat(100_000)}` } }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/mix\[0\]\.model\)?: "\\u001b\[2Jx+\.\.\. is not a known ASIC model \(expected one of "S19", /);
    expect(lines[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(lines[0].length).toBeLessThan(600);
  });
});

describe('a horizon that epochs of a sane length reach', () => {
  it.each([
    // within their own bounds (test/config/bounds.test.ts refuses 1e15 and 9e15 as out of range)
    ['model.protocol.blocksPerEpoch', 1e6],
    ['model.protocol.targetBlockSeconds', 86_400],
  ])('refuses %s %s at load, naming the epoch length', (path, value) => {
    const lines = problems(extending({ overrides: { [path]: value } }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`overrides\\.${path.replaceAll('.', '\\.')}: ${value} is not valid \\(blocksPerEpoch .* is an epoch of .* days, longer than the 375 days .*expected at least one epoch within the horizon\\)`));
  });

  it('refuses epochs so short that the horizon holds more than 10,000', () => {
    const lines = problems(extending({ overrides: { 'model.protocol.blocksPerEpoch': 1 } }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/overrides\.model\.protocol\.blocksPerEpoch: 1 is not valid \(epochs of 0\.006944 days make 54000 epochs .*expected at most 10000/);
  });

  it('refuses a maximum epoch length that would run past year 9999', () => {
    const lines = problems(extending({ overrides: { 'model.horizon.endDate': '2399-12-31', 'model.protocol.maxEpochLengthFactor': 100 } }));
    expect(lines[0]).toMatch(/maxEpochLengthFactor: 100 is not valid \(expected a factor with which 9752 epochs .* end by 9999-12-31\)/);
  });

  it('loadExperiment throws these as UserErrors', () => {
    expect(() => loadExperiment(extending({ overrides: { 'model.protocol.blocksPerEpoch': 1e6 } }))).toThrow(UserError);
  });
});
