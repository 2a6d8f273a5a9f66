// docs/config.schema.json: generated from the zod schema, every field described, and accepting every
// shipped experiment file when checked by an independent JSON Schema validator (ajv, draft 2020-12).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { experimentJsonSchema, experimentSchemaText, schemaFields, SCHEMA_FILE } from '../../src/config/json-schema.ts';
import { FIELD_DOCS } from '../../src/config/field-docs.ts';
import { ROOT } from '../support/cli.ts';

const committed = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
// strictRequired is off: the `else` branch lists the required keys of a complete file without
// repeating their definitions, which draft 2020-12 allows and ajv's strict mode flags as a lint.
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(committed));
const errorsOf = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? jsonFiles(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : [],
  );
}

const baseline = JSON.parse(readFileSync(join(ROOT, 'configs', 'baseline.json'), 'utf8'));

describe('docs/config.schema.json', () => {
  it('is the generated schema (run `npm run schema` after changing src/config)', () => {
    expect(committed).toBe(experimentSchemaText());
  });

  it('describes every field of the schema with its meaning, unit and default (src/config/field-docs.ts)', () => {
    const fields = schemaFields(experimentJsonSchema());
    const undocumented = fields.filter((f) => f.leaf && !FIELD_DOCS[f.path]).map((f) => f.path);
    expect(undocumented).toEqual([]);
    const paths = new Set(fields.map((f) => f.path));
    expect(Object.keys(FIELD_DOCS).filter((p) => !paths.has(p))).toEqual([]);
    for (const f of fields.filter((x) => x.leaf)) expect(f.node.description, f.path).toMatch(/\S.* Unit: .+\. Default: .+\.$/);
    expect(fields.filter((f) => f.leaf).length).toBeGreaterThan(120);
  });

  it.each(jsonFiles(join(ROOT, 'configs')).map((f) => relative(ROOT, f)))('accepts %s', (file) => {
    expect(errorsOf(JSON.parse(readFileSync(join(ROOT, file), 'utf8')))).toEqual([]);
  });

  it('requires every field in a file that extends nothing, and only there', () => {
    const { seed: _seed, ...noSeed } = baseline;
    expect(errorsOf(noSeed)).toEqual([" must have required property 'seed'", ' must match "else" schema']);
    const noDate = structuredClone(baseline);
    delete noDate.model.start.date;
    expect(errorsOf(noDate)).toContain("/model/start must have required property 'date'");
    expect(errorsOf({ extends: 'baseline.json', model: { start: { height: 1 } } })).toEqual([]);
  });

  it('rejects unknown keys, wrong types and incomplete array elements, with or without extends', () => {
    expect(errorsOf({ extends: 'baseline.json', model: { start: { heigth: 1 } } })).toContain('/model/start must NOT have additional properties');
    expect(errorsOf({ extends: 'baseline.json', replicates: 0 })).toContain('/replicates must be >= 1');
    expect(errorsOf({ extends: 'baseline.json', model: { events: [{ date: '2027-01-01', kind: 'tariff', region: 'us' }] } }).length).toBeGreaterThan(0);
    expect(errorsOf({ extends: 'baseline.json', overrides: { 'model..x': 1 } }).length).toBeGreaterThan(0);
    const typo = structuredClone(baseline);
    typo.model.market.fees.medianRatoi = 0.1;
    expect(errorsOf(typo)).toContain('/model/market/fees must NOT have additional properties');
  });
});
