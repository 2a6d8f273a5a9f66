// A seeded corpus of hostile experiment files: the baseline with one field mutated (a swapped type, a
// dropped key, an extreme, an impossible date, a reserved key, deep nesting, a duplicate). For every
// mutant `validate`'s checks either accept it (and the plan and model parameters then build) or
// report problems, each one line naming the file; nothing throws anything else, and no mutant
// reaches Object.prototype. 300 mutants here; HASHMIGRATE_MUTANTS=N runs N.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { checkExperimentFile } from '../../src/config/check.ts';
import { UserError } from '../../src/config/errors.ts';
import { makePlan } from '../../src/runner/plan.ts';
import { resolveParams } from '../../src/model/params.ts';

const BASELINE = fileURLToPath(new URL('../../configs/baseline.json', import.meta.url));
const COUNT = Number(process.env.HASHMIGRATE_MUTANTS ?? 300);
const tmp = tempDirs('hm-mutants-');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every path to a value in `node` (objects and lists included). */
function paths(node: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(node)) node.forEach((v, i) => paths(v, [...at, i], out));
  else if (node !== null && typeof node === 'object') for (const k of Object.keys(node)) paths(node[k], [...at, k], out);
  return out;
}

function get(root: Json, path: Path): Json {
  return path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], root);
}

function set(root: Json, path: Path, value: Json | undefined): void {
  const parent = get(root, path.slice(0, -1)) as Record<string | number, Json>;
  const key = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = value;
}

const EXTREMES: Json[] = [-1, 0, 1e-300, 1e308, -1e308, 1.5, 2 ** 53, 1e15, 'x', '', null, true, [], {}, [1, 2, 3]];
const DATES = ['2026-02-31', '2027-02-29', '2026-13-01', '0000-01-01', '9999-12-31', '2026-3-1'];
const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** The text of one mutant of `base`, drawn from `rng`, and what was done, for the failure message. */
function mutant(base: Json, rng: () => number): { text: string; what: string } {
  const all = paths(base).filter((p) => p.length > 0);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const raw = structuredClone(base);
  const path = pick(all);
  const here = get(raw, path);
  const op = pick(['extreme', 'extreme', 'drop', 'swap', 'date', 'reserved', 'deep', 'duplicate', 'override'] as const);
  const where = path.join('.');
  switch (op) {
    case 'extreme': {
      const v = pick(EXTREMES);
      set(raw, path, v);
      return { text: JSON.stringify(raw), what: `${where} = ${JSON.stringify(v)}` };
    }
    case 'drop':
      set(raw, path, undefined);
      return { text: JSON.stringify(raw), what: `drop ${where}` };
    case 'swap': {
      const v: Json = typeof here === 'number' ? String(here) : typeof here === 'string' ? here.length : Array.isArray(here) ? { 0: here[0] ?? null } : here === null ? 0 : [here];
      set(raw, path, v);
      return { text: JSON.stringify(raw), what: `swap type of ${where}` };
    }
    case 'date': {
      const datePaths = all.filter((p) => typeof get(raw, p) === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(get(raw, p) as string));
      const p = pick(datePaths);
      const v = pick(DATES);
      set(raw, p, v);
      return { text: JSON.stringify(raw), what: `${p.join('.')} = ${v}` };
    }
    case 'reserved': {
      const objects = all.filter((p) => { const n = get(raw, p); return n !== null && typeof n === 'object' && !Array.isArray(n); });
      const p = pick([[], ...objects]);
      const key = pick(RESERVED);
      const text = JSON.stringify(raw);
      // spliced as text: an object literal cannot hold an own "__proto__" key
      const inner = JSON.stringify(get(raw, p));
      const spliced = inner === '{}' ? `{"${key}":{"x":1}}` : `{"${key}":{"x":1},${inner.slice(1)}`;
      return { text: p.length === 0 ? spliced : text.replace(inner, spliced), what: `"${key}" key in ${p.join('.') || 'top level'}` };
    }
    case 'deep': {
      const depth = 100 + Math.floor(rng() * 5000);
      const text = JSON.stringify(raw).replace(/^\{/, `{"deep":${'['.repeat(depth)}1${']'.repeat(depth)},`);
      return { text, what: `nested ${depth} deep` };
    }
    case 'duplicate': {
      const lists = all.filter((p) => Array.isArray(get(raw, p)) && (get(raw, p) as Json[]).length > 0);
      const p = pick(lists);
      const list = get(raw, p) as Json[];
      list.push(structuredClone(list[0]));
      return { text: JSON.stringify(raw), what: `duplicate first element of ${p.join('.')}` };
    }
    case 'override': {
      const key = pick([...all.map((p) => p.join('.')), '__proto__.toString', 'model.constructor', 'model.toString', 'replicates.x']);
      const v = pick(EXTREMES);
      const text = JSON.stringify({ ...(raw as object), overrides: { [key]: v } });
      return { text, what: `override ${key} = ${JSON.stringify(v)}` };
    }
  }
}

describe(`${COUNT} seeded mutants of the baseline`, () => {
  it('are each accepted (and then plan) or refused with one-line problems naming the file; nothing else is thrown', () => {
    const base = JSON.parse(readFileSync(BASELINE, 'utf8')) as Json;
    // a small baseline, so that plans of accepted mutants build quickly
    (base as Record<string, Record<string, Record<string, Json>>>).model.operators.count = 60;
    const rng = seedrandom.xor4096('hashmigrate mutants v1');
    const dir = tmp();
    const file = join(dir, 'mutant.json');
    let accepted = 0;
    let refused = 0;
    for (let k = 0; k < COUNT; k++) {
      const { text, what } = mutant(base, () => rng.double());
      writeFileSync(file, text);
      const label = `mutant ${k} (${what})`;
      let check;
      try {
        check = checkExperimentFile(file);
      } catch (err) {
        throw new Error(`${label}: checkExperimentFile threw ${(err as Error).stack}`);
      }
      if (check.experiment) {
        try {
          const plan = makePlan(file, check.experiment);
          resolveParams(check.experiment.model, plan.pricePath, plan.feePath);
          accepted++;
        } catch (err) {
          if (!(err instanceof UserError)) throw new Error(`${label}: accepted, then the plan threw ${(err as Error).stack}`);
          for (const line of err.problems) expect(line, label).not.toContain('\n');
          refused++;
        }
      } else {
        expect(check.problems.length, label).toBeGreaterThan(0);
        for (const line of check.problems) {
          expect(line, label).not.toContain('\n');
          expect(line.startsWith(`${file}: `) || line.startsWith('/'), `${label}: ${line}`).toBe(true);
          expect(line.length, `${label}: ${line.slice(0, 200)}`).toBeLessThan(1000);
        }
        refused++;
      }
      expect(Object.keys(Object.prototype), label).toEqual([]);
      expect(Object.prototype.toString.call([]), label).toBe('[object Array]');
    }
    expect(accepted + refused).toBe(COUNT);
    // both kinds occur, so the corpus tests something on each side
    expect(accepted).toBeGreaterThan(COUNT / 20);
    expect(refused).toBeGreaterThan(COUNT / 2);
  }, 120_000);
});
