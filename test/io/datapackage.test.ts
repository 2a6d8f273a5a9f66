// datapackage.json describes every CSV a run writes: one field per column, in order, with a type
// that the column's cells satisfy, a unit for every numeric value column, and every metric.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { parseCsv as parseTable } from '../../src/io/csv-read.ts';
const parseCsv = (text: string) => {
  const t = parseTable(text, 'test');
  return [t.header, ...t.rows];
};
import { METRIC_INFO } from '../../src/io/datapackage.ts';
import { NETWORK_METRICS, REGION_METRICS, DESTINATION_METRICS } from '../../src/model/metrics.ts';
import { DERIVED_METRICS } from '../../src/runner/derived.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = tempDirs('hm-dp-');

interface Field {
  name: string;
  type: string;
  unit?: string;
  description: string;
  constraints?: { enum?: string[]; minimum?: number; maximum?: number; pattern?: string };
}
interface Resource {
  name: string;
  path: string;
  schema: { fields: Field[]; primaryKey?: string[] };
  metrics?: { name: string; unit: string }[];
}

const TYPE_OF: Record<string, (cell: string) => boolean> = {
  integer: (c) => /^-?\d+$/.test(c),
  number: (c) => c !== '' && Number.isFinite(Number(c)),
  date: (c) => /^\d{4}-\d{2}-\d{2}$/.test(c),
  string: () => true,
  boolean: (c) => c === 'TRUE' || c === 'FALSE',
};

function checkResource(dir: string, res: Resource): void {
  const rows = parseCsv(readFileSync(join(dir, res.path), 'utf8'));
  const [header, ...body] = rows;
  expect(header).toEqual(res.schema.fields.map((f) => f.name));
  expect(body.length).toBeGreaterThan(0);
  res.schema.fields.forEach((f, c) => {
    expect(f.description.length, `${res.name}.${f.name} description`).toBeGreaterThan(5);
    if (f.type === 'number') expect(f.unit, `${res.name}.${f.name} unit`).toBeTruthy();
    for (const row of body) {
      const cell = row[c];
      expect(TYPE_OF[f.type](cell), `${res.name}.${f.name}: ${JSON.stringify(cell)} is not ${f.type}`).toBe(true);
      if (f.constraints?.enum) expect(f.constraints.enum).toContain(cell);
      if (f.constraints?.minimum !== undefined) expect(Number(cell)).toBeGreaterThanOrEqual(f.constraints.minimum);
      if (f.constraints?.maximum !== undefined) expect(Number(cell)).toBeLessThanOrEqual(f.constraints.maximum);
    }
  });
  if (res.schema.primaryKey) {
    const idx = res.schema.primaryKey.map((k) => header.indexOf(k));
    const keys = new Set(body.map((row) => idx.map((i) => row[i]).join('\u0000')));
    expect(keys.size).toBe(body.length);
  }
}

describe('datapackage.json', () => {
  const plain = join(tmp(), 'plain');
  const sweep = join(tmp(), 'sweep');
  const observed = join(tmp(), 'observed');
  beforeAll(async () => {
    const base = { workers: 2, progress: 'none' as const, excel: false, force: false, resume: false, log: () => {} };
    const tiny = loadExperiment(join(ROOT, 'test', 'fixtures', 'tiny.json'));
    tiny.experiment.replicates = 4;
    await runBatch({ ...base, ...tiny, outDir: plain, trajectories: true });
    const file = join(tmp(), 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        extends: join(ROOT, 'test', 'fixtures', 'tiny.json'),
        name: 'dp-sweep',
        replicates: 3,
        sweep: { design: 'grid', points: 2, parameters: [{ path: 'model.market.price.startUsd', min: 50000, max: 90000 }] },
      }),
    );
    await runBatch({ ...base, ...loadExperiment(file), outDir: sweep, trajectories: false });
    const scored = loadExperiment(join(ROOT, 'test', 'fixtures', 'tiny-observed.json'));
    scored.experiment.replicates = 3;
    await runBatch({ ...base, ...scored, outDir: observed, trajectories: false });
  }, 120_000);

  it('lists every CSV of a run, and the manifest hashes it', () => {
    const pkg = JSON.parse(readFileSync(join(plain, 'datapackage.json'), 'utf8'));
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.resources.map((r: Resource) => r.path)).toEqual(['epochs.csv', 'replicates.csv', 'trajectories.csv']);
    const manifest = JSON.parse(readFileSync(join(plain, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.outputs)).toContain('datapackage.json');
  });

  it('describes each column of each CSV, in order, with types the cells satisfy', () => {
    for (const dir of [plain, sweep, observed]) {
      const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8'));
      for (const res of pkg.resources) checkResource(dir, res);
    }
    const pkg = JSON.parse(readFileSync(join(sweep, 'datapackage.json'), 'utf8'));
    expect(pkg.resources.map((r: Resource) => r.path)).toEqual(['epochs.csv', 'replicates.csv', 'points.csv']);
    expect(pkg.resources[0].schema.fields[0].name).toBe('point');
  });

  it('describes backtest.csv and backtest-summary.csv for a config with observed series', () => {
    const pkg = JSON.parse(readFileSync(join(observed, 'datapackage.json'), 'utf8'));
    expect(pkg.resources.map((r: Resource) => r.path)).toEqual(['epochs.csv', 'replicates.csv', 'backtest.csv', 'backtest-summary.csv']);
    const docs = readFileSync(join(ROOT, 'docs', 'OUTPUTS.md'), 'utf8');
    for (const res of pkg.resources.slice(2)) {
      // the file's own section of OUTPUTS.md, up to the next heading
      const section = docs.split(/^## /m).find((part) => part.startsWith(`\`${res.path}\``)) ?? '';
      for (const f of res.schema.fields) expect(section, `${res.path} ${f.name}`).toContain(`\`${f.name}\``);
    }
  });

  it('gives the unit of every metric, and docs/OUTPUTS.md documents each', () => {
    const all = [...NETWORK_METRICS, ...REGION_METRICS, ...DESTINATION_METRICS, ...DERIVED_METRICS];
    expect(Object.keys(METRIC_INFO).sort()).toEqual([...all].sort());
    const docs = readFileSync(join(ROOT, 'docs', 'OUTPUTS.md'), 'utf8');
    for (const m of all) expect(docs, m).toMatch(new RegExp(`^\\| \`${m}\` \\| ${METRIC_INFO[m].unit.replace(/[/|()+.]/g, '\\$&')} \\|`, 'm'));
    const pkg = JSON.parse(readFileSync(join(plain, 'datapackage.json'), 'utf8'));
    expect(pkg.resources[0].metrics.map((m: { name: string }) => m.name).sort()).toEqual([...all].sort());
  });

  it('documents every replicates.csv and points.csv column in docs/OUTPUTS.md', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'OUTPUTS.md'), 'utf8');
    const header = parseCsv(readFileSync(join(plain, 'replicates.csv'), 'utf8'))[0];
    for (const col of header) {
      const pattern = col.replace(/_(us|ru|cn|py|ae|om|ca|kz|et|no|my|row)$/, '_<region>').replace(/^total_relocations_<region>$/, 'total_relocations_<destination>');
      expect(docs, col).toContain(`\`${pattern}\``);
    }
  });
});
