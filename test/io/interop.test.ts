// Every table of a run and of a sweep (agents.csv included, from --agents) loads without loss in
// pandas, R and SQLite: every series survives a group-by on (point,) metric and region, no
// primary-key cell is null, every column reads as the type datapackage.json declares, and the cells
// of a few rows (first, middle, last) read as the CSV has them. Needs Debian's python3-pandas and r-base-core
// (installed by .ci/run); without them the test is skipped outside CI and fails in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { parseCsv } from '../../src/io/csv-read.ts';
import { ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const hasPandas = has(PYTHON, ['-c', 'import pandas']);
const hasR = has('Rscript', ['--version']);
const required = process.env.CI === 'true';
const tmp = tempDirs('hm-interop-');

interface Field { name: string; type: string }
interface Resource { name: string; path: string; schema: { fields: Field[]; primaryKey?: string[] } }

/** What our own reader finds in each table: rows, distinct series and the cells of every row. */
function expected(dir: string): Record<string, { rows: number; series?: number; cells: string[][] }> {
  const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
  return Object.fromEntries(
    pkg.resources.map((r) => {
      const { header, rows } = parseCsv(readFileSync(join(dir, r.path), 'utf8'), r.path);
      const by = ['point', 'metric', 'region'].map((c) => header.indexOf(c)).filter((i) => i >= 0);
      const series = header.includes('metric') && header.includes('region') ? new Set(rows.map((row) => by.map((i) => row[i]).join('|'))).size : undefined;
      return [r.name, { rows: rows.length, cells: rows, ...(series === undefined ? {} : { series }) }];
    }),
  );
}

/** The 0-based rows the loaders sample: first, middle, last. */
const sampled = (rows: number) => [...new Set([0, Math.floor(rows / 2), rows - 1])].filter((i) => i >= 0 && i < rows);

/** A cell as a loader read it against the CSV's: numbers to 12 significant digits, the rest as text. */
function expectCell(found: unknown, csv: string, type: string, what: string): void {
  if (type === 'integer' || type === 'number') {
    const a = Number(found);
    const b = Number(csv);
    expect(Number.isFinite(a), `${what}: ${String(found)}`).toBe(true);
    expect(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${String(found)} vs ${csv}`).toBe(true);
  } else expect(String(found), what).toBe(csv);
}

const AGENT_EPOCHS = [0, 10];
const runs: Record<string, string> = {};

beforeAll(async () => {
  const tiny = loadExperiment(join(ROOT, 'test', 'fixtures', 'tiny.json'));
  const base = { file: tiny.file, workers: 1, progress: 'none' as const, trajectories: true, agents: AGENT_EPOCHS, excel: false, force: false, resume: false };
  runs.run = join(tmp(), 'run');
  await runBatch({ ...base, experiment: { ...tiny.experiment, replicates: 3 }, outDir: runs.run });
  runs.sweep = join(tmp(), 'sweep');
  const sweep = { design: 'grid' as const, points: 2, independentStreams: false, parameters: [{ path: 'model.market.fees.medianRatio', min: 0.01, max: 0.05 }] };
  await runBatch({ ...base, experiment: { ...tiny.experiment, replicates: 2, sweep }, outDir: runs.sweep });
}, 120_000);

describe.each(['run', 'sweep'])('every table of a %s', (kind) => {
  it.skipIf(!hasPandas && !required)('loads in pandas (defaults) and SQLite with every series, no null key, the declared types', () => {
    const r = spawnSync(PYTHON, [join(ROOT, 'test', 'io', 'interop', 'load-pandas.py'), runs[kind]], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const found = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    const want = expected(runs[kind]);
    const pkg = JSON.parse(readFileSync(join(runs[kind], 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    expect(Object.keys(found).sort()).toEqual(Object.keys(want).sort());
    expect(Object.keys(found)).toContain('trajectories');
    expect(Object.keys(found)).toContain('agents');
    for (const res of pkg.resources) {
      const f = found[res.name];
      expect(f.rows, res.name).toBe(want[res.name].rows);
      expect(f.sqlError, res.name).toBeUndefined();
      expect(f.sqlRows, res.name).toBe(want[res.name].rows);
      expect(f.nullsInKey, res.name).toBe(0);
      expect(f.duplicateKeys, res.name).toBe(0);
      expect(f.nullCells, res.name).toBe(0);
      if (want[res.name].series !== undefined) {
        expect(f.series, res.name).toBe(want[res.name].series);
        expect(f.seriesRows, res.name).toBe(want[res.name].rows);
      }
      const dtypes = f.dtypes as Record<string, string>;
      const pandasType = { integer: 'int64', number: 'float64', string: 'string', date: 'datetime64[ns]' } as Record<string, string>;
      for (const field of res.schema.fields) expect(dtypes[field.name], `${res.name}.${field.name}`).toBe(pandasType[field.type]);
      const sample = f.sample as Record<string, unknown[]>;
      expect(Object.keys(sample).map(Number), res.name).toEqual(sampled(want[res.name].rows));
      for (const i of sampled(want[res.name].rows)) {
        res.schema.fields.forEach((field, j) => expectCell(sample[i][j], want[res.name].cells[i][j], field.type, `${res.name}[${i}].${field.name}`));
      }
    }
  });

  it.skipIf(!hasR && !required)('loads in R (read.csv defaults) with every series, no empty key, the declared types', () => {
    const dir = runs[kind];
    const pkg = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    const spec = join(tmp(), 'spec.tsv');
    writeFileSync(spec, ['table\tname\ttype\tkey', ...pkg.resources.flatMap((r) => r.schema.fields.map((f) => `${r.name}\t${f.name}\t${f.type}\t${r.schema.primaryKey?.includes(f.name) ? 1 : 0}`))].join('\n') + '\n');
    const r = spawnSync('Rscript', ['--vanilla', join(ROOT, 'test', 'io', 'interop', 'load-r.R'), dir, spec], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    const value = (table: string, check: string) => lines.find(([t, c]) => t === table && c === check)?.[2];
    const want = expected(dir);
    expect(pkg.resources.map((r) => r.name)).toContain('agents');
    for (const res of pkg.resources) {
      expect(value(res.name, 'rows'), res.name).toBe(String(want[res.name].rows));
      if (res.schema.primaryKey) {
        expect(value(res.name, 'nullsInKey'), res.name).toBe('0');
        expect(value(res.name, 'duplicateKeys'), res.name).toBe('0');
      }
      if (want[res.name].series !== undefined) expect(value(res.name, 'series'), res.name).toBe(String(want[res.name].series));
      for (const field of res.schema.fields) expect(value(res.name, `type:${field.name}`), `${res.name}.${field.name}`).toBe('ok');
      for (const i of sampled(want[res.name].rows)) {
        res.schema.fields.forEach((field, j) => expectCell(value(res.name, `value:${i}:${field.name}`), want[res.name].cells[i][j], field.type, `${res.name}[${i}].${field.name}`));
      }
    }
  });
});
