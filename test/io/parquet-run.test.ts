// `run --format parquet` end to end: every table of a run, a Morris sweep and a backtest, read back
// with hyparquet (an independent reader), holds cell for cell what the CSV of the same run holds,
// with the Parquet type that datapackage.json declares; the bytes do not depend on the worker count
// or chunk size; reproduce, merge, the report, the summary and compare read the Parquet tables;
// the flag's bad values are refused in one line.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { loadExperiment } from '../../src/config/load.ts';
import { runBatch, type BatchOptions } from '../../src/runner/batch.ts';
import { mergeShards } from '../../src/runner/merge.ts';
import { parseCsv } from '../../src/io/csv-read.ts';
import { reproduce } from '../../src/cli/reproduce.ts';
import { readResults } from '../../src/report/results.ts';
import { lastEpochRows } from '../../src/cli/summary.ts';
import { readTrajectories } from '../../src/io/trajectories-read.ts';
import { readScorecard } from '../../src/report/scorecard.ts';
import { readParquetTable } from '../../src/io/parquet-read.ts';
import { ParquetWriter, type ParquetColumn } from '../../src/io/parquet.ts';
import { cellFromText } from '../../src/io/table.ts';
import { sha256 } from '../../src/io/manifest.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-parquet-run-');
const cli = cliRunner(60_000);

interface Field { name: string; type: string }
interface Resource { name: string; path: string; format: string; mediatype: string; schema: { fields: Field[]; primaryKey?: string[] } }
const resources = (dir: string) => (JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')) as { resources: Resource[] }).resources;
const bytes = (file: string) => readFileSync(file);
const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const FIXTURES = { run: 'tiny.json', morris: 'tiny-morris.json', observed: 'tiny-observed.json' } as const;
type Kind = keyof typeof FIXTURES;
const REPLICATES: Record<Kind, number> = { run: 3, morris: 2, observed: 3 };
/** The tables each run writes (--trajectories and --agents for the plain run). */
const TABLES: Record<Kind, string[]> = {
  run: ['agents', 'epochs', 'replicates', 'trajectories'],
  morris: ['epochs', 'points', 'replicates', 'sensitivity'],
  observed: ['backtest', 'backtest-summary', 'epochs', 'replicates'],
};
const AGENT_EPOCHS = [0, 10];
const dirs = {} as Record<Kind, { csv: string; parquet: string }>;

function options(kind: Kind, outDir: string, extra: Partial<BatchOptions> = {}): BatchOptions {
  const { file, experiment } = loadExperiment(join(ROOT, 'test', 'fixtures', FIXTURES[kind]));
  return {
    file,
    experiment: { ...experiment, replicates: REPLICATES[kind] },
    outDir,
    workers: 1,
    progress: 'none',
    trajectories: kind === 'run',
    agents: kind === 'run' ? AGENT_EPOCHS : undefined,
    excel: false,
    force: false,
    resume: false,
    log: () => {},
    ...extra,
  };
}

beforeAll(async () => {
  for (const kind of Object.keys(FIXTURES) as Kind[]) {
    const root = tmp();
    dirs[kind] = { csv: join(root, 'csv'), parquet: join(root, 'parquet') };
    await runBatch(options(kind, dirs[kind].csv));
    await runBatch(options(kind, dirs[kind].parquet, { format: 'parquet' }));
  }
}, 180_000);

/** Parquet's physical type (and logical type) of each datapackage type. */
const PARQUET_TYPE: Record<string, [string, string | null]> = { integer: ['INT64', null], number: ['DOUBLE', null], string: ['BYTE_ARRAY', 'STRING'], date: ['INT32', 'DATE'], boolean: ['BOOLEAN', null] };

/**
 * A value hyparquet read, as the CSV writer writes a cell of that type (null as ""), or a marker
 * that matches no cell when its JavaScript type is not the one the declared type reads as. Equal
 * text means an equal value: the CSV holds the shortest decimal that round-trips to the double.
 */
function asCsvText(found: unknown, type: string): string {
  if (found === null) return '';
  const wrong = `<${typeof found} ${String(found)} where ${type} was declared>`;
  if (type === 'integer') return typeof found === 'bigint' ? String(found) : wrong;
  if (type === 'number') return typeof found === 'number' ? String(found) : wrong;
  if (type === 'date') return found instanceof Date ? found.toISOString().slice(0, 10) : wrong;
  if (type === 'boolean') return typeof found === 'boolean' ? (found ? 'TRUE' : 'FALSE') : wrong;
  return typeof found === 'string' ? found : wrong;
}

describe.each(Object.keys(FIXTURES) as Kind[])('run --format parquet of %s', (kind) => {
  it('writes one .parquet file per table of the CSV run, and nothing else but datapackage.json and the manifest', () => {
    const csvFiles = readdirSync(dirs[kind].csv).filter((f) => f.endsWith('.csv'));
    const parquetFiles = readdirSync(dirs[kind].parquet).filter((f) => !['datapackage.json', 'manifest.json'].includes(f));
    expect(csvFiles.sort()).toEqual(TABLES[kind].map((t) => `${t}.csv`).sort());
    expect(parquetFiles.sort()).toEqual(TABLES[kind].map((t) => `${t}.parquet`).sort());
    const manifest = JSON.parse(readFileSync(join(dirs[kind].parquet, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.outputs).sort()).toEqual([...parquetFiles, 'datapackage.json'].sort());
    expect(manifest.options.format).toBe('parquet');
    expect(JSON.parse(readFileSync(join(dirs[kind].csv, 'manifest.json'), 'utf8')).options).not.toHaveProperty('format');
  });

  it('describes each table in datapackage.json as Parquet, with the schema of the CSV run', () => {
    const csv = resources(dirs[kind].csv);
    const parquet = resources(dirs[kind].parquet);
    expect(parquet.map((r) => r.name)).toEqual(csv.map((r) => r.name));
    parquet.forEach((r, i) => {
      expect(r.path).toBe(`${r.name}.parquet`);
      expect(r.format).toBe('parquet');
      expect(r.mediatype).toBe('application/vnd.apache.parquet');
      expect(r).not.toHaveProperty('dialect');
      expect(r.schema.fields).toEqual(csv[i].schema.fields);
      expect(r.schema.primaryKey).toEqual(csv[i].schema.primaryKey);
    });
  });

  it('holds, read with hyparquet, every cell of the CSV run with the declared type', async () => {
    let cells = 0;
    let nulls = 0;
    for (const r of resources(dirs[kind].parquet)) {
      const file = bytes(join(dirs[kind].parquet, r.path));
      const meta = parquetMetadata(arrayBuffer(file));
      expect(meta.created_by).toMatch(/^hashmigrate version \d+\.\d+\.\d+$/);
      const leaves = meta.schema.slice(1);
      expect(leaves.map((l) => l.name), r.name).toEqual(r.schema.fields.map((f) => f.name));
      r.schema.fields.forEach((f, j) => {
        expect([leaves[j].type, leaves[j].logical_type?.type ?? null], `${r.name}.${f.name}`).toEqual(PARQUET_TYPE[f.type]);
        // primary-key columns are never null
        if (r.schema.primaryKey?.includes(f.name)) expect(leaves[j].repetition_type, `${r.name}.${f.name}`).toBe('REQUIRED');
      });
      for (const g of meta.row_groups) for (const c of g.columns) expect(c.meta_data?.codec).toBe('SNAPPY');
      const rows = (await parquetReadObjects({ file: arrayBuffer(file) })) as Record<string, unknown>[];
      const csv = parseCsv(readFileSync(join(dirs[kind].csv, `${r.name}.csv`), 'utf8'), r.name);
      expect(csv.header, r.name).toEqual(r.schema.fields.map((f) => f.name));
      expect(rows.length, r.name).toBeGreaterThan(0);
      const found = rows.map((row) => r.schema.fields.map((f) => asCsvText(row[f.name], f.type)));
      expect(found, r.name).toEqual(csv.rows);
      cells += csv.rows.length * csv.header.length;
      nulls += rows.reduce((n, row) => n + Object.values(row).filter((v) => v === null).length, 0);
    }
    expect(cells).toBeGreaterThan(1000);
    // Morris' mu and sigma rows have no interval: empty in the CSV, null in Parquet
    if (kind === 'morris') expect(nulls).toBeGreaterThan(0);
  });

  it('reads back in the report and the summary as the CSV run does', () => {
    const a = readResults(dirs[kind].csv);
    const b = readResults(dirs[kind].parquet);
    expect(b.epochsFile).toBe('epochs.parquet');
    expect(b.mismatchedOutputs).toEqual([]);
    expect([...b.series.entries()]).toEqual([...a.series.entries()]);
    expect([...b.finals.entries()]).toEqual([...a.finals.entries()]);
    expect(b.backtest).toEqual(a.backtest);
    const last = a.lastEpoch;
    expect(lastEpochRows(join(dirs[kind].parquet, 'epochs.parquet'), last)).toBe(lastEpochRows(join(dirs[kind].csv, 'epochs.csv'), last));
  });
});

describe('run --format parquet, beyond one run', () => {
  it('writes the same bytes whatever the worker count and chunk size', async () => {
    const out = join(tmp(), 'w2');
    await runBatch(options('run', out, { format: 'parquet', workers: 2, chunkSize: 1 }));
    const files = readdirSync(dirs.run.parquet).filter((f) => f.endsWith('.parquet') || f === 'datapackage.json');
    expect(files.length).toBe(5);
    for (const f of files) expect(Buffer.compare(bytes(join(out, f)), bytes(join(dirs.run.parquet, f))), f).toBe(0);
  }, 60_000);

  it('reproduces from its manifest, byte for byte', async () => {
    const r = await reproduce({ manifestPath: join(dirs.run.parquet, 'manifest.json'), workers: 1, tolerance: 1e-9, progress: 'none', log: () => {} });
    expect(r.files.map((f) => [f.file, f.verdict])).toEqual(
      ['agents.parquet', 'datapackage.json', 'epochs.parquet', 'replicates.parquet', 'trajectories.parquet'].map((f) => [f, 'identical']),
    );
    expect(r.ok).toBe(true);
  }, 60_000);

  it('compares Parquet tables within the tolerance when the run was made on another Node major', async () => {
    /** A copy of the run whose replicates.parquet has one value scaled by (1 + change), hashed in its manifest "made on Node 18". */
    const published = async (change: number) => {
      const dir = join(tmp(), 'published');
      cpSync(dirs.run.parquet, dir, { recursive: true });
      const file = join(dir, 'replicates.parquet');
      const fields = resources(dir).find((r) => r.name === 'replicates')!.schema.fields;
      const columns = fields.map((f): ParquetColumn => ({ name: f.name, type: f.type as ParquetColumn['type'], nullable: false }));
      const { rows } = readParquetTable(file);
      const cells = rows.map((row) => row.map((text, j) => cellFromText(columns[j], text)));
      const j = fields.findIndex((f, k) => f.type === 'number' && cells[1][k] !== 0);
      cells[1][j] = (cells[1][j] as number) * (1 + change);
      const chunks: Uint8Array[] = [];
      const writer = new ParquetWriter(columns, { write: async (c) => void chunks.push(Uint8Array.from(c)) }, { createdBy: 'hashmigrate version 0.1.0' });
      for (const row of cells) writer.add(row);
      await writer.finish();
      writeFileSync(file, Buffer.concat(chunks));
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      manifest.outputs['replicates.parquet'] = sha256(readFileSync(file));
      manifest.software.node = '18.19.0';
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
      return { manifestPath: join(dir, 'manifest.json'), column: fields[j].name };
    };
    const verdict = async (change: number) => {
      const { manifestPath, column } = await published(change);
      const r = await reproduce({ manifestPath, workers: 1, tolerance: 1e-9, progress: 'none', outDir: join(tmp(), 're-run'), log: () => {} });
      return { r, column, file: r.files.find((f) => f.file === 'replicates.parquet')! };
    };
    const close = await verdict(1e-13);
    expect(close.r.crossMajor).toBe(true);
    expect(close.file.verdict).toBe('within tolerance');
    expect(close.r.ok).toBe(true);
    const far = await verdict(1e-6);
    expect(far.file.verdict).toBe('different');
    expect(far.file.detail).toMatch(new RegExp(`^row 3, column ${far.column}: "[-0-9.e]+" expected, "[-0-9.e]+" found$`));
    expect(far.r.ok).toBe(false);
  }, 60_000);

  it('merges shards run with --format parquet into the bytes of the whole run', async () => {
    const root = tmp();
    const shards = [0, 1].map((index) => join(root, `shard-${index}`));
    for (const [index, dir] of shards.entries()) {
      const o = options('observed', dir, { format: 'parquet', shard: { index, count: 2 } });
      await runBatch(o);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      expect(manifest.shard.command).toContain('--format parquet');
    }
    const merged = join(root, 'merged');
    await mergeShards({ dirs: shards, outDir: merged, force: false, log: () => {} });
    const files = readdirSync(dirs.observed.parquet).filter((f) => f !== 'manifest.json');
    expect(files).toContain('backtest.parquet');
    for (const f of files) expect(Buffer.compare(bytes(join(merged, f)), bytes(join(dirs.observed.parquet, f))), f).toBe(0);
    expect(readScorecard(merged)).toEqual(readScorecard(dirs.observed.csv));
  }, 60_000);

  it('gives compare the same trajectories as the CSV', async () => {
    const a = await readTrajectories(join(dirs.run.csv, 'trajectories.csv'), 3);
    const b = await readTrajectories(join(dirs.run.parquet, 'trajectories.parquet'), 3);
    expect(b.series).toEqual(a.series);
    expect(b.epochCount).toBe(a.epochCount);
    expect(Buffer.compare(Buffer.from(b.values.buffer), Buffer.from(a.values.buffer))).toBe(0);
  });

  it('replaces the tables of the other format when a folder is run again with --force', async () => {
    const out = join(tmp(), 'again');
    await runBatch(options('run', out));
    await runBatch(options('run', out, { format: 'parquet', force: true, agents: undefined }));
    expect(readdirSync(out).sort()).toEqual(['datapackage.json', 'epochs.parquet', 'manifest.json', 'replicates.parquet', 'trajectories.parquet']);
  }, 60_000);
});

describe('hashmigrate run --format', () => {
  it('refuses an unknown format in one line naming the flag, the value and the formats (exit 2)', () => {
    const r = cli('run', 'test/fixtures/tiny.json', '--format', 'xlsx', '--out', join(tmp(), 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format: "xlsx" is not valid \(expected csv or parquet\)/);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('(add --help'))).toHaveLength(1);
  });

  it('refuses --excel with --format parquet in one line, before writing anything (exit 2)', () => {
    const out = join(tmp(), 'x');
    const r = cli('run', 'test/fixtures/tiny.json', '--format', 'parquet', '--excel', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('hashmigrate: --excel is not valid with --format parquet (expected --format csv: --excel shapes CSV for spreadsheets)');
    expect(existsSync(out)).toBe(false);
  });

  it('writes Parquet tables and the report from the command line', () => {
    const out = join(tmp(), 'cli');
    const r = cli('run', 'test/fixtures/tiny.json', '--replicates', '2', '--workers', '1', '--progress', 'none', '--format', 'parquet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(out, 'epochs.parquet')}, ${join(out, 'replicates.parquet')}, ${join(out, 'datapackage.json')}, ${join(out, 'manifest.json')}`);
    expect(readdirSync(out).sort()).toEqual(['datapackage.json', 'epochs.parquet', 'figures', 'manifest.json', 'replicates.parquet', 'report.html']);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<code>epochs.parquet</code>');
  });
});
