// Checking an experiment file in one pass: reading and merging (syntax, extends, overrides), the
// strict schema, and the checks that span fields, each problem located where the user wrote the
// value (the file, or the override key) and, for a misspelt key or id, the nearest valid one (for a
// key written at the wrong level, the full path where the schema has it).
import type { z } from 'zod';
import { experimentSchema, type Experiment } from './experiment.ts';
import { formatPath, showValue } from './errors.ts';
import { experimentJsonSchema, schemaFields, type SchemaNode } from './json-schema.ts';
import { crossCheck } from './load.ts';
import { resolveConfig, valueAt, type Key, type Origin } from './resolve.ts';
import { didYouMean, didYouMeanOneOf, pathsEnding } from './suggest.ts';

export interface FileCheck {
  /** the resolved experiment, when no problem was found */
  experiment?: Experiment;
  /** every problem found, one line each */
  problems: string[];
}

/** `file: path` or, for a value an override set, `file: overrides.KEY (path)`. */
export function locate(origin: Origin, path: readonly Key[]): string {
  const at = formatPath(path);
  if (origin.override === undefined) return `${origin.file}: ${at}`;
  return `${origin.file}: overrides.${origin.override}${at === origin.override ? '' : ` (${at})`}`;
}

let jsonSchema: SchemaNode | undefined;

/** The keys the schema allows in the object at `path` (every branch of a union). */
function allowedKeys(path: readonly Key[]): string[] {
  jsonSchema ??= experimentJsonSchema();
  let nodes: SchemaNode[] = [jsonSchema];
  const expand = (ns: SchemaNode[]): SchemaNode[] => ns.flatMap((n) => [n, ...expand([...(n.anyOf ?? []), ...(n.oneOf ?? [])])]);
  for (const key of path) {
    nodes = expand(nodes).flatMap((n) => {
      if (typeof key === 'number') return typeof n.items === 'object' ? [n.items] : [];
      const child = n.properties?.[key];
      return child ? [child] : [];
    });
  }
  return [...new Set(expand(nodes).flatMap((n) => Object.keys(n.properties ?? {})))];
}

let fieldPaths: string[] | undefined;

/** `model.regions[3]` as the schema writes a path: `model.regions[]`. */
const schemaPath = (path: readonly Key[]): string => path.map((k, i) => (typeof k === 'number' ? '[]' : i === 0 ? k : `.${k}`)).join('');

/**
 * For a key written at the wrong level (`model.destinations`), the full paths where the schema
 * has that key or, failing that, the nearest one: ` (did you mean "model.decisions.destinations"?)`.
 */
function elsewhere(key: string, path: readonly Key[]): string {
  jsonSchema ??= experimentJsonSchema();
  fieldPaths ??= schemaFields(jsonSchema).map((f) => f.path);
  const at = schemaPath(path);
  const here = at === '' ? key : `${at}.${key}`;
  return didYouMeanOneOf(pathsEnding(key, fieldPaths.filter((p) => p !== here), at));
}

function issueLines(raw: unknown, issue: z.core.$ZodIssue, originOf: (p: readonly Key[]) => Origin): string[] {
  const path = issue.path as Key[];
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path);
    return issue.keys.map((key) => {
      const hint = didYouMean(key, allowed) || elsewhere(key, path) || ' (check the spelling against docs/CONFIG.md)';
      return `${locate(originOf([...path, key]), path)}: unknown key "${key}"${hint}`;
    });
  }
  return [`${locate(originOf(path), path)}: ${showValue(valueAt(raw, path))} is not valid (${issue.message.replace(/^Invalid input: /, '')})`];
}

/** `model.regions[3].id` as keys. */
function parsePath(text: string): Key[] {
  return text.split('.').flatMap((part) => {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    const indices = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [...(m[1] ? [m[1]] : []), ...indices];
  });
}

const related = (a: readonly Key[], b: readonly Key[]) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
};

/**
 * Checks `file` and returns every problem found: a file that cannot be read or merged stops there,
 * but schema and cross-field problems are all reported together (a cross-field check that depends
 * on a field with a schema problem is left out, since it would only repeat it).
 */
export function checkExperimentFile(file: string): FileCheck {
  const resolved = resolveConfig(file);
  const problems = [...resolved.problems];
  const raw = resolved.raw;
  if (!raw) return { problems };
  const parsed = experimentSchema.safeParse(raw);
  const issuePaths: Key[][] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = issue.path as Key[];
      if (issue.code === 'unrecognized_keys') issuePaths.push(...issue.keys.map((k) => [...at, k]));
      else issuePaths.push(at);
      problems.push(...issueLines(raw, issue, resolved.originOf));
    }
  }
  let cross: string[] = [];
  try {
    cross = crossCheck(parsed.success ? parsed.data : (raw as unknown as Experiment));
  } catch {
    // the fields a cross-field check reads are malformed: the schema problems above say how
  }
  for (const line of cross) {
    const m = /^([^\s:]+): (.*)$/.exec(line);
    if (!m) {
      problems.push(`${file}: ${line}`);
      continue;
    }
    const path = parsePath(m[1]);
    if (issuePaths.some((p) => related(p, path))) continue;
    problems.push(`${locate(resolved.originOf(path), path)}: ${m[2]}`);
  }
  return problems.length || !parsed.success ? { problems } : { experiment: parsed.data, problems };
}
