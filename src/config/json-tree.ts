// Limits on the shape of any JSON the tool reads (configs, manifests): no key that could reach an
// object prototype when merged or assigned, and a bounded depth, so that no later step (merging,
// error messages, the schema) can recurse out of stack. Checked iteratively, right after parsing.
import { UserError, formatPath } from './errors.ts';

/** Keys that address an object's prototype chain when used with `obj[key] = ...`. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest nesting accepted; configs and manifests need fewer than 10 levels. */
export const MAX_JSON_DEPTH = 64;

/** `model.regions[0]...` cut to its first few keys, for a path that may be thousands deep. */
function shortPath(path: readonly (string | number)[]): string {
  return path.length > 8 ? `${formatPath(path.slice(0, 8))}...` : formatPath(path);
}

/** A reserved key as one line of a problem, or undefined for an ordinary key. */
export function reservedKeyProblem(key: string): string | undefined {
  return RESERVED_KEYS.has(key) ? `"${key}" is a reserved name (expected a field of the config; "__proto__", "constructor" and "prototype" are never fields)` : undefined;
}

/** Throws a UserError naming `file` and the path when `value` holds a reserved key or nests too deep. */
export function checkJsonTree(file: string, value: unknown): void {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw new UserError(`${file}: ${shortPath(path)}: nested more than ${MAX_JSON_DEPTH} levels deep (expected at most ${MAX_JSON_DEPTH} levels of objects and lists)`);
    }
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(node)) {
      const problem = reservedKeyProblem(key);
      if (problem) throw new UserError(`${file}: ${formatPath([...path, key])}: ${problem}`);
      stack.push({ node: (node as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}
