// Dotted paths into a config: `model.regions.us.powerPrice.meanUsdPerKwh`. An array element is
// addressed by its index or by its `id` (regions) or `name` (ASIC models).

import { reservedKeyProblem } from './json-tree.ts';

type Key = string | number;

function step(node: unknown, key: Key, path: string): { container: Record<Key, unknown>; key: Key } {
  if (Array.isArray(node)) {
    if (typeof key === 'number' || /^\d+$/.test(String(key))) {
      const i = Number(key);
      if (i >= node.length) throw new Error(`no element ${i} at "${path}" (the list has ${node.length})`);
      return { container: node as unknown as Record<Key, unknown>, key: i };
    }
    const i = node.findIndex((el) => typeof el === 'object' && el !== null && ((el as { id?: unknown }).id === key || (el as { name?: unknown }).name === key));
    if (i < 0) throw new Error(`no element with id or name "${key}" at "${path}"`);
    return { container: node as unknown as Record<Key, unknown>, key: i };
  }
  if (typeof node === 'object' && node !== null) return { container: node as Record<Key, unknown>, key };
  throw new Error(`"${path}" does not lead to an object`);
}

export function getPath(root: unknown, keys: readonly Key[]): unknown {
  let node = root;
  let walked = '';
  for (const k of keys) {
    walked = walked ? `${walked}.${k}` : String(k);
    const { container, key } = step(node, k, walked);
    if (!Object.hasOwn(container, key)) throw new Error(`no field "${walked}"`);
    node = container[key];
  }
  return node;
}

/** Sets the value at a dotted path; the field must already exist (a typo is an error, not a new key). */
export function setPath(root: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  for (const k of keys) {
    const reserved = reservedKeyProblem(k);
    if (reserved) throw new Error(`"${path}": ${reserved}`);
  }
  const parent = getPath(root, keys.slice(0, -1));
  const { container, key } = step(parent, keys[keys.length - 1], path);
  if (!Object.hasOwn(container, key)) throw new Error(`no field "${path}" to override`);
  container[key] = value;
}
