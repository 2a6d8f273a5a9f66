// The JSON Schema of experiment files (docs/config.schema.json, `hashmigrate schema`), generated from
// the zod schema so that the two cannot drift. It accepts what the loader accepts: `$schema`,
// `extends` and `overrides`, and, in a file that extends another, any subset of the fields (the
// base supplies the rest; objects merge key by key, arrays replace whole, so an array's elements
// stay complete). Every field carries its meaning, unit and default from field-docs.ts.
import { z } from 'zod';
import { experimentSchema } from './experiment.ts';
import { describeField, FIELD_DOCS, SECTION_DOCS } from './field-docs.ts';

/** A JSON Schema node, as far as this file reads or writes it. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode | boolean;
  prefixItems?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  [keyword: string]: unknown;
}

/** One property of the schema: its dotted path (array elements as `[]`) and whether it holds fields of its own. */
export interface SchemaField {
  path: string;
  /** a value, not an object with properties or a list of such objects */
  leaf: boolean;
  node: SchemaNode;
}

const branches = (node: SchemaNode): SchemaNode[] => [...(node.anyOf ?? []), ...(node.oneOf ?? [])];

/** Every property of `node` at any depth, each once per path (the branches of a union share a path). */
export function schemaFields(node: SchemaNode, path = ''): SchemaField[] {
  const out = new Map<string, SchemaField>();
  const visit = (n: SchemaNode, p: string): void => {
    if ('$ref' in n) throw new Error(`json-schema: unexpected $ref at ${p || '(top level)'}; the generator expects inlined schemas`);
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      const childPath = p ? `${p}.${key}` : key;
      const leaf = !holdsFields(child);
      if (!out.has(childPath)) out.set(childPath, { path: childPath, leaf, node: child });
      visit(child, childPath);
    }
    if (typeof n.items === 'object') visit(n.items, `${p}[]`);
    for (const b of branches(n)) visit(b, p);
  };
  visit(node, path);
  return [...out.values()];
}

function holdsFields(n: SchemaNode): boolean {
  if (n.properties) return true;
  if (typeof n.items === 'object' && holdsFields(n.items)) return true;
  return branches(n).some(holdsFields);
}

/** A bound as docs/CONFIG.md writes it: 10,000 or 0.0001, powers of ten from 10^8 (or below 10^-4) as 1e8, 2^53−1. */
export function formatBound(x: number): string {
  const abs = Math.abs(x);
  const sign = x < 0 ? '−' : '';
  if (abs === Number.MAX_SAFE_INTEGER) return `${sign}2^53−1`;
  const exp = Math.log10(abs);
  if (abs > 0 && Number.isInteger(exp) && (exp >= 8 || exp <= -5)) return `${sign}1e${exp}`;
  if (Number.isInteger(abs)) return sign + abs.toLocaleString('en-US');
  return sign + String(abs);
}

/** The largest safe integer, which zod writes as the bound of an integer without one. */
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The allowed values of a numeric field, in the notation of docs/CONFIG.md: `[0, 10]`, `(0, 1e9]`,
 * `int, 1 … 10,000`, `range within [0, 100]` or `range of int, 0 … 10,000` for a [min, max] pair; undefined for a field that is
 * not a number (or a nullable number, or a pair of numbers).
 */
export function rangeText(node: SchemaNode): string | undefined {
  const numeric = (n: SchemaNode) => n.type === 'number' || n.type === 'integer';
  const branch = (node.anyOf ?? []).find((n) => numeric(n) || n.prefixItems);
  if (branch) return rangeText(branch);
  if (node.prefixItems) {
    const inner = rangeText(node.prefixItems[0]);
    return inner === undefined ? undefined : inner.startsWith('int') ? `range of ${inner}` : `range within ${inner}`;
  }
  if (!numeric(node)) return undefined;
  const lo = node.minimum as number | undefined;
  const xlo = node.exclusiveMinimum as number | undefined;
  const hi = node.maximum as number | undefined;
  const xhi = node.exclusiveMaximum as number | undefined;
  if (node.type === 'integer') {
    const a = lo !== undefined && lo > -SAFE ? formatBound(lo) : undefined;
    const b = hi !== undefined ? formatBound(hi) : undefined;
    if (a === undefined && b === undefined) return 'int';
    if (b === undefined) return `int >= ${a}`;
    return `int, ${a ?? '−∞'} … ${b}`;
  }
  const left = lo !== undefined ? `[${formatBound(lo)}` : xlo !== undefined ? `(${formatBound(xlo)}` : undefined;
  const right = hi !== undefined ? `${formatBound(hi)}]` : xhi !== undefined ? `${formatBound(xhi)})` : undefined;
  if (left === undefined && right === undefined) return 'any number';
  return `${left ?? '(−∞'}, ${right ?? '∞)'}`;
}

/** Adds each field's description (every node of a path: the branches of a union each get it). */
function describe(node: SchemaNode, path: string): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const childPath = path ? `${path}.${key}` : key;
    const doc = FIELD_DOCS[childPath];
    const text = doc ? describeField(doc, rangeText(child)) : SECTION_DOCS[childPath];
    if (text) child.description = text;
    describe(child, childPath);
  }
  if (typeof node.items === 'object') describe(node.items, `${path}[]`);
  for (const b of branches(node)) describe(b, path);
}

/**
 * Moves the `required` lists of objects reached through properties (not through array elements,
 * which replace whole) out of `node` into a skeleton of the same shape, which a complete file must
 * also satisfy.
 */
function splitRequired(node: SchemaNode): SchemaNode | null {
  const skeleton: SchemaNode = {};
  if (node.required?.length) skeleton.required = node.required;
  delete node.required;
  const nested: Record<string, SchemaNode> = {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const sub = splitRequired(child);
    if (sub) nested[key] = sub;
  }
  if (Object.keys(nested).length) skeleton.properties = nested;
  return Object.keys(skeleton).length ? { type: 'object', ...skeleton } : null;
}

/** The JSON Schema of experiment files. */
export function experimentJsonSchema(): SchemaNode {
  const generated = z.toJSONSchema(experimentSchema, { io: 'input' }) as SchemaNode;
  const { $schema: dialect, ...root } = generated;
  root.properties = {
    $schema: root.properties!.$schema,
    extends: { type: 'string', minLength: 1 },
    overrides: {
      type: 'object',
      propertyNames: { pattern: '^[^.]+(\\.[^.]+)*$' },
      additionalProperties: {},
    },
    ...root.properties,
  };
  const complete = splitRequired(root);
  describe(root, '');
  return {
    $schema: dialect,
    title: 'hashmigrate experiment file',
    description:
      'An experiment: what to run (name, question, seed, replicates, optional sweep) and the model it runs. A file with "extends" may give any subset of the fields; the loader checks the merged result. See docs/CONFIG.md.',
    ...root,
    // without `extends` the file itself must be complete
    if: { properties: { extends: { type: 'string' } }, required: ['extends'] },
    else: complete ?? {},
  };
}

/** Where the schema is committed, relative to the repository root. */
export const SCHEMA_FILE = 'docs/config.schema.json';

/** The schema as committed in docs/config.schema.json and printed by `hashmigrate schema`. */
export function experimentSchemaText(): string {
  return `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
}
