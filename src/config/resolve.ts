// Resolving `extends` and `overrides` while collecting every problem instead of stopping at the first,
// and remembering who wrote each value (which file, which override key), so that a later problem in
// the merged config can be reported where the user wrote it.
import { dirname, resolve } from 'node:path';
import { UserError, showValue } from './errors.ts';
import { mergeConfig, readJsonFile } from './load.ts';
import { getPath, setPath } from './paths.ts';
import { didYouMean, nearest } from './suggest.ts';
import { reservedKeyProblem } from './json-tree.ts';

export type Key = string | number;

/** Where a value of the merged config was written. */
export interface Origin {
  file: string;
  /** the override key as written, when an override set the value (or an object above it) */
  override?: string;
}

/** One file of an `extends` chain: its own keys, the overrides it applied and its base. */
interface Layer {
  file: string;
  /** the file's keys other than `extends` and `overrides` */
  own: Record<string, unknown>;
  /** applied overrides, in order, with the concrete path each one set (ids resolved to indices) */
  overrides: { key: string; path: Key[] }[];
  base?: Layer;
}

export interface Resolved {
  /** the merged object, or undefined when a file could not be read as an object */
  raw?: Record<string, unknown>;
  /** every problem met while reading and merging, one line each */
  problems: string[];
  /** who wrote the value at `path` of `raw` */
  originOf(path: readonly Key[]): Origin;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const startsWith = (path: readonly Key[], prefix: readonly Key[]) => prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]));

function originIn(layer: Layer | undefined, path: readonly Key[], top: string): Origin {
  if (!layer) return { file: top };
  // precedence within a file: its overrides (last applied wins), then its own keys, then its base
  for (let i = layer.overrides.length - 1; i >= 0; i--) {
    const o = layer.overrides[i];
    if (startsWith(path, o.path)) return { file: layer.file, override: o.key };
  }
  let node: unknown = layer.own;
  for (const [i, key] of path.entries()) {
    if (!isObject(node)) return { file: layer.file }; // an array or a value replaces the base's whole
    if (!(key in node)) {
      // a key missing from an object only this file wrote (a `sweep` the base has not) is this file's to add
      return layer.base && holds(layer.base, path.slice(0, i)) ? originIn(layer.base, path, top) : { file: layer.file };
    }
    node = node[key as string];
  }
  return { file: layer.file };
}

/** Whether `layer` or a base under it wrote a value at `path`. */
function holds(layer: Layer | undefined, path: readonly Key[]): boolean {
  if (!layer) return false;
  let node: unknown = layer.own;
  for (const key of path) {
    if (Array.isArray(node)) {
      node = node[Number(key)];
      if (node === undefined) return false;
      continue;
    }
    if (!isObject(node)) return false;
    if (!(key in node)) return holds(layer.base, path);
    node = node[key as string];
  }
  return true;
}

/**
 * The concrete path of a dotted key such as an override's (ids and names resolved to indices), or
 * what is wrong with it, with the nearest valid key or id.
 */
export function findPath(root: unknown, key: string, purpose = ' to override'): { path?: Key[]; problem?: string } {
  const keys = key.split('.');
  const path: Key[] = [];
  let node = root;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const walked = keys.slice(0, i + 1).join('.');
    const reserved = reservedKeyProblem(k);
    if (reserved) return { problem: reserved };
    if (Array.isArray(node)) {
      const index = /^\d+$/.test(k) ? Number(k) : node.findIndex((el) => isObject(el) && (el.id === k || el.name === k));
      if (index < 0 || index >= node.length) {
        const ids = node.flatMap((el) => (isObject(el) && typeof (el.id ?? el.name) === 'string' ? [String(el.id ?? el.name)] : []));
        const hint = didYouMean(k, ids);
        return { problem: /^\d+$/.test(k) ? `no element ${k} at "${walked}" (the list has ${node.length})` : `no element with id or name "${k}" at "${walked}"${hint}` };
      }
      path.push(index);
      node = node[index];
    } else if (isObject(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, k)) {
        const near = nearest(k, Object.keys(node));
        const suggestion = near === undefined ? '' : ` (did you mean "${[...keys.slice(0, i), near, ...keys.slice(i + 1)].join('.')}"?)`;
        return { problem: `no field "${key}"${purpose}${suggestion}` };
      }
      path.push(k);
      node = node[k];
    } else {
      return { problem: `"${keys.slice(0, i).join('.')}" does not lead to an object` };
    }
  }
  return { path };
}

function resolveLayer(file: string, seen: string[], problems: string[]): { raw?: Record<string, unknown>; layer?: Layer } {
  const abs = resolve(file);
  if (seen.includes(abs)) {
    problems.push(`${file}: extends: circular reference through ${seen.join(' -> ')}`);
    return {};
  }
  let text: unknown;
  try {
    text = readJsonFile(file);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(...err.problems);
    return {};
  }
  if (!isObject(text)) {
    problems.push(`${file}: (top level): ${showValue(text)} is not an object`);
    return {};
  }
  const { extends: ext, overrides, ...own } = text;
  const layer: Layer = { file, own, overrides: [] };
  let merged: Record<string, unknown> = structuredClone(own);
  if ('extends' in text) {
    if (typeof ext !== 'string') {
      problems.push(`${file}: extends: ${showValue(ext)} is not a file path`);
      return {};
    }
    const base = resolveLayer(resolve(dirname(file), ext), [...seen, abs], problems);
    // without its base the file's fields cannot be checked: the base's problems say why
    if (!base.raw) return {};
    layer.base = base.layer;
    merged = mergeConfig(base.raw, own) as Record<string, unknown>;
  }
  if ('overrides' in text) {
    if (!isObject(overrides)) {
      problems.push(`${file}: overrides: ${showValue(overrides)} is not an object of "path": value`);
    } else {
      for (const [key, value] of Object.entries(overrides)) {
        const { path, problem } = findPath(merged, key);
        if (problem) {
          problems.push(`${file}: overrides.${key}: ${problem}`);
          continue;
        }
        setPath(merged, key, value);
        layer.overrides.push({ key, path: path! });
      }
    }
  }
  return { raw: merged, layer };
}

/** Reads `file`, resolves its `extends` chain and `overrides`, and collects every problem met. */
export function resolveConfig(file: string): Resolved {
  const problems: string[] = [];
  const { raw, layer } = resolveLayer(file, [], problems);
  return { raw, problems, originOf: (path) => originIn(layer, path, file) };
}

/** The value at `path`, or undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: readonly Key[]): unknown {
  try {
    return getPath(root, path as Key[]);
  } catch {
    return undefined;
  }
}
