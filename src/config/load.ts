// Loading an experiment file: JSON, optional `extends` of a base file and dotted `overrides`,
// then the strict schema and the checks that span fields. Every problem is one line naming the
// file, the field path, the value and what was expected.
import type { z } from 'zod';
import { experimentSchema, type Experiment } from './experiment.ts';
import { UserError, formatPath, showValue } from './errors.ts';
import { getPath } from './paths.ts';
import { dayOf } from '../model/time.ts';
import { checkJsonTree } from './json-tree.ts';
import { readInputText } from '../io/read-input.ts';
import { findPath, resolveConfig } from './resolve.ts';
import { checkExperimentFile } from './check.ts';
import { didYouMeanClause } from './suggest.ts';
import { needsApply, parameterProblems } from '../runner/designs.ts';
import { NETWORK_REGION } from '../io/region-cell.ts';

export interface LoadedExperiment {
  /** the path given by the user */
  file: string;
  /** the resolved experiment: base merged, overrides applied, defaults filled in */
  experiment: Experiment;
}

/** Reads a JSON file, turning a missing file, a syntax error, a reserved key or too deep a nesting into one clear line. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: cannot read the file (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    let message = (err as Error).message.replace(/\s+/g, ' ');
    if (!/position (\d+)/.test(message) && !/end of JSON input/.test(message)) {
      // Node 20 words some errors without a position: find it as the shortest prefix that fails
      // for a reason other than ending early (prefixes fail that way until the bad token).
      let lo = 0;
      let hi = text.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        let early = false;
        try {
          JSON.parse(text.slice(0, mid + 1));
          early = true;
        } catch (e) {
          early = /end of JSON input|Unterminated|Expected/.test((e as Error).message) && !/Unexpected token/.test((e as Error).message);
        }
        if (early) lo = mid + 1;
        else hi = mid;
      }
      message = `${message.replace(/, ".*" is not valid JSON$/, '')} in JSON at position ${lo}`;
    }
    const at = /position (\d+)/.exec(message) ?? (/end of JSON input/.test(message) ? [, String(text.trimEnd().length)] : null);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
    throw new UserError(`${file}: not valid JSON${where} (${reason})`);
  }
  checkJsonTree(file, value);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge for config objects: objects merge key by key, arrays and scalars replace. */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = Object.hasOwn(out, k) ? mergeConfig(out[k], v) : structuredClone(v);
  return out;
}

/** Resolves `extends` (a path relative to the file) and `overrides` ({"model.x.y": value}) into one raw object. */
export function resolveRaw(file: string): unknown {
  const { raw, problems } = resolveConfig(file);
  if (problems.length || !raw) throw new UserError(problems[0], problems);
  return raw;
}

export function issueLine(file: string, raw: unknown, issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${file}: ${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling against docs/CONFIG.md)`;
  }
  let value: unknown;
  try {
    value = getPath(raw, issue.path as (string | number)[]);
  } catch {
    value = undefined;
  }
  return `${file}: ${path}: ${showValue(value)} is not valid (${issue.message.replace(/^Invalid input: /, '')})`;
}

/** Most points a sweep may have: each runs every replicate, and the list of points is built in memory. */
export const MAX_SWEEP_POINTS = 100_000;

/** The number of points a sweep design makes (src/runner/sweep.ts): grid points^k, LHS points, Morris r(k+1), Sobol N(k+2). */
function sweepPointCount(sweep: NonNullable<Experiment['sweep']>): number {
  const k = sweep.parameters.length;
  if (sweep.design === 'grid') return sweep.points ** k;
  if (sweep.design === 'morris') return sweep.points * (k + 1);
  if (sweep.design === 'sobol') return sweep.points * (k + 2);
  return sweep.points;
}

/** Most epochs a run may have: every series holds a value per epoch (about 380 years of 14-day epochs). */
export const MAX_EPOCHS = 10_000;

/** The last day an ISO date YYYY-MM-DD can name. */
const LAST_DAY = '9999-12-31';

/**
 * The horizon must be reachable in epochs of a sane length: at least one nominal epoch (blocks per
 * epoch times the target block time) fits between the start and the horizon, and even if every
 * epoch ran at the longest length allowed (maxEpochLengthFactor times nominal) the last one would
 * close by 9999-12-31, so that every date of the outputs exists.
 */
function epochProblems(m: Experiment['model']): string[] {
  const horizonDays = dayOf(m.horizon.endDate, m.start.date);
  if (!(horizonDays > 0)) return [];
  const nominalEpochDays = (m.protocol.blocksPerEpoch * m.protocol.targetBlockSeconds) / 86400;
  if (!(nominalEpochDays <= horizonDays)) {
    // named at the larger of the two factors, which is the likelier mistake
    const field = m.protocol.blocksPerEpoch >= m.protocol.targetBlockSeconds ? 'blocksPerEpoch' : 'targetBlockSeconds';
    return [
      `model.protocol.${field}: ${m.protocol[field]} is not valid (blocksPerEpoch ${m.protocol.blocksPerEpoch} times targetBlockSeconds ${m.protocol.targetBlockSeconds} is an epoch of ${nominalEpochDays.toPrecision(4)} days, longer than the ${horizonDays} days from model.start.date to model.horizon.endDate; expected at least one epoch within the horizon)`,
    ];
  }
  const epochs = Math.ceil(horizonDays / nominalEpochDays);
  if (epochs > MAX_EPOCHS) {
    const field = m.protocol.blocksPerEpoch <= m.protocol.targetBlockSeconds ? 'blocksPerEpoch' : 'targetBlockSeconds';
    return [
      `model.protocol.${field}: ${m.protocol[field]} is not valid (epochs of ${nominalEpochDays.toPrecision(4)} days make ${epochs} epochs from model.start.date to model.horizon.endDate; expected at most ${MAX_EPOCHS}, each epoch is a row of every series)`,
    ];
  }
  const latestDays = epochs * nominalEpochDays * m.protocol.maxEpochLengthFactor;
  if (!(latestDays <= dayOf(LAST_DAY, m.start.date))) {
    return [
      `model.protocol.maxEpochLengthFactor: ${m.protocol.maxEpochLengthFactor} is not valid (expected a factor with which ${epochs} epochs of at most ${nominalEpochDays.toPrecision(4)} days times the factor end by ${LAST_DAY})`,
    ];
  }
  return [];
}

/** Up to 12 names, each quoted and cut (showValue), for an "expected one of" list. */
function showList(names: Iterable<string>): string {
  const all = [...names];
  const shown = all.slice(0, 12).map((n) => showValue(n)).join(', ');
  return all.length > 12 ? `${shown}, ... (${all.length} in all)` : shown;
}

/** Checks that span several fields: ids that must refer to something, shares that must add up. */
export function crossCheck(e: Experiment): string[] {
  const m = e.model;
  const problems: string[] = [];
  const ids = new Set<string>();
  m.regions.forEach((r, i) => {
    if (ids.has(r.id)) problems.push(`model.regions[${i}].id: "${r.id}" is not valid (expected a unique region id)`);
    if (r.id === NETWORK_REGION) problems.push(`model.regions[${i}].id: "${r.id}" is not valid (expected another id: "${NETWORK_REGION}" marks network-wide rows in the outputs)`);
    ids.add(r.id);
  });
  const known = (id: string) => ids.has(id);
  const expectedOne = `expected one of ${[...ids].join(', ')}`;
  const expected = (id: string) => `${expectedOne}${didYouMeanClause(id, ids)}`;
  m.decisions.destinations.forEach((d, i) => {
    if (!known(d)) problems.push(`model.decisions.destinations[${i}]: "${d}" is not a known region (${expected(d)})`);
    const first = m.decisions.destinations.indexOf(d);
    if (first < i) problems.push(`model.decisions.destinations[${i}]: "${d}" is not valid (expected each destination once; it is also destinations[${first}])`);
  });
  m.asics.forEach((a, i) => {
    const first = m.asics.findIndex((b) => b.name === a.name);
    if (first < i) problems.push(`model.asics[${i}].name: ${showValue(a.name)} is not valid (expected a unique ASIC model name, the key of model.fleet.mix; it is also asics[${first}].name)`);
  });
  m.concentration.splitRegions.forEach((d, i) => {
    if (!known(d)) problems.push(`model.concentration.splitRegions[${i}]: "${d}" is not a known region (${expected(d)})`);
  });
  m.events.forEach((ev, i) => {
    if ('region' in ev && !known(ev.region)) problems.push(`model.events[${i}].region: "${ev.region}" is not a known region (${expected(ev.region)})`);
    if (ev.date < m.start.date) problems.push(`model.events[${i}].date: "${ev.date}" is not valid (expected a date on or after model.start.date ${m.start.date})`);
    if (ev.kind === 'ban' && ev.endDate !== undefined && ev.endDate <= ev.date) {
      problems.push(`model.events[${i}].endDate: "${ev.endDate}" is not valid (expected a date after the ban's date ${ev.date})`);
    }
  });
  const models = new Set(m.asics.map((a) => a.name));
  m.fleet.mix.forEach((f, i) => {
    if (!models.has(f.model)) problems.push(`model.fleet.mix[${i}].model: ${showValue(f.model)} is not a known ASIC model (expected one of ${showList(models)}${didYouMeanClause(f.model, models)})`);
  });
  const explicit = m.regions.reduce((s, r) => s + (r.share ?? 0), 0);
  const remainders = m.regions.filter((r) => r.share === null).length;
  if (explicit > 1 + 1e-9) problems.push(`model.regions: shares add up to ${explicit} (expected at most 1)`);
  if (remainders === 0 && Math.abs(explicit - 1) > 1e-9) {
    problems.push(`model.regions: shares add up to ${explicit} (expected 1, or one region with "share": null for the remainder)`);
  }
  if (m.horizon.endDate <= m.start.date) {
    problems.push(`model.horizon.endDate: "${m.horizon.endDate}" is not valid (expected a date after model.start.date ${m.start.date})`);
  }
  problems.push(...epochProblems(m));
  if (m.operators.count < m.regions.filter((r) => r.share !== 0).length) {
    problems.push(`model.operators.count: ${m.operators.count} is not valid (expected at least one operator per region with a share)`);
  }
  if (m.fleet.mix.reduce((s, f) => s + f.hashrateShare, 0) <= 0) problems.push(`model.fleet.mix: hashrate shares add up to 0 (expected a positive total)`);
  if (e.sweep) {
    const count = sweepPointCount(e.sweep);
    if (count > MAX_SWEEP_POINTS) {
      problems.push(`sweep.points: ${e.sweep.points} is not valid (a ${e.sweep.design} design over ${e.sweep.parameters.length} parameters then has ${count.toPrecision(4)} points; expected at most ${MAX_SWEEP_POINTS})`);
    }
  }
  e.sweep?.parameters.forEach((sp, i) => {
    if (!sp.path.startsWith('model.')) {
      problems.push(`sweep.parameters[${i}].path: ${showValue(sp.path)} is not valid (expected a path inside model, such as "model.regions.us.powerPrice.meanUsdPerKwh"; replicates, seed and the other run settings are not swept)`);
      return;
    }
    if (sp.scale || needsApply(sp)) {
      problems.push(...parameterProblems(e, sp, i));
      return;
    }
    if (sp.min > sp.max) problems.push(`sweep.parameters[${i}]: min ${sp.min} is greater than max ${sp.max}`);
    const { path, problem } = findPath(e, sp.path, '');
    if (problem) problems.push(`sweep.parameters[${i}].path: "${sp.path}" is not valid (${problem})`);
    else if (typeof getPath(e, path!) !== 'number') problems.push(`sweep.parameters[${i}].path: "${sp.path}" is not valid (expected the path of a number in the config)`);
  });
  return problems;
}

/** Validates a raw experiment object; returns it parsed, or every problem as a line. */
export function validateExperiment(file: string, raw: unknown): { experiment?: Experiment; problems: string[] } {
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => issueLine(file, raw, i)) };
  const problems = crossCheck(parsed.data).map((line) => `${file}: ${line}`);
  return problems.length ? { problems } : { experiment: parsed.data, problems };
}

/**
 * Loads and validates an experiment file; throws a UserError whose message is the first problem
 * and whose `problems` are all of them (src/config/check.ts).
 */
export function loadExperiment(file: string): LoadedExperiment {
  const { experiment, problems } = checkExperimentFile(file);
  if (!experiment) throw new UserError(problems[0], problems);
  return { file, experiment };
}
