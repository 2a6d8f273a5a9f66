// The Parquet writer (src/io/parquet.ts) and its Snappy compressor (src/io/snappy.ts), checked with
// an independent reader, hyparquet: every type, nulls, several row groups, byte-identical output for
// the same rows; and our own reader of those files (src/io/parquet-read.ts) against hyparquet's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, snappyUncompress as hyparquetSnappy } from 'hyparquet';
import { ParquetWriter, daysSinceEpoch, type ParquetCell, type ParquetColumn, type ParquetOptions } from '../../src/io/parquet.ts';
import { snappyCompress, snappyUncompress } from '../../src/io/snappy.ts';
import { readParquetTable } from '../../src/io/parquet-read.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-parquet-');

async function parquetBytes(columns: ParquetColumn[], rows: ParquetCell[][], options: Partial<ParquetOptions> = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const writer = new ParquetWriter(columns, { write: async (c) => void chunks.push(Uint8Array.from(c)) }, { createdBy: 'hashmigrate version test', ...options });
  for (const row of rows) writer.add(row);
  await writer.finish();
  return Uint8Array.from(Buffer.concat(chunks));
}

const arrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const COLUMNS: ParquetColumn[] = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'count', type: 'integer', nullable: true },
  { name: 'x', type: 'number', nullable: false },
  { name: 'y', type: 'number', nullable: true },
  { name: 'label', type: 'string', nullable: false },
  { name: 'note', type: 'string', nullable: true },
  { name: 'day', type: 'date', nullable: false },
  { name: 'flag', type: 'boolean', nullable: true },
];

const TEXTS = ['network', '', 'Ethiopia – Addis', 'ñandú, "quoted"', '中国', 'emoji 🚀 and \u0000 nul', 'line\nbreak', 'a'.repeat(300)];
const DOUBLES = [0, -0, 1, -1, 0.1, -2.5e-7, 1e300, -1.7976931348623157e308, 5e-324, 123456789.123456789, Math.PI, -Math.E, 2 ** 53 + 2];
const INTEGERS = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), 42];

/** 61 seeded rows: every listed value appears, and the nullable columns are null at random rows and in all of rows 14-20. */
function sampleRows(): ParquetCell[][] {
  const rng = seedrandom('parquet-writer');
  const pick = <T,>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  return Array.from({ length: 61 }, (_, i) => {
    const allNull = i >= 14 && i <= 20;
    const maybe = <T,>(v: T): T | null => (allNull || rng() < 0.3 ? null : v);
    return [
      INTEGERS[i % INTEGERS.length],
      maybe(pick(INTEGERS)),
      DOUBLES[i % DOUBLES.length] * (i % 3 === 0 ? 1 : rng()),
      maybe(pick(DOUBLES)),
      TEXTS[i % TEXTS.length],
      maybe(pick(TEXTS)),
      pick(['1970-01-01', '1969-12-31', '2024-04-20', '2140-02-29', '1900-03-01']),
      maybe(rng() < 0.5),
    ];
  });
}

describe('ParquetWriter', () => {
  it('writes every type, with nulls, across row groups, as hyparquet reads it back', async () => {
    const rows = sampleRows();
    const bytes = await parquetBytes(COLUMNS, rows, { rowGroupRows: 7 });
    const read = (await parquetReadObjects({ file: arrayBuffer(bytes) })) as Record<string, unknown>[];
    expect(read).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      const r = read[i];
      expect(r.id, `row ${i} id`).toBe(BigInt(row[0] as number));
      expect(r.count, `row ${i} count`).toBe(row[1] === null ? null : BigInt(row[1] as number));
      // -0 is written as 0, as the CSV writes it
      expect(Object.is(r.x, (row[2] as number) === 0 ? 0 : row[2]), `row ${i} x: ${String(r.x)} vs ${String(row[2])}`).toBe(true);
      expect(r.y, `row ${i} y`).toBe(row[3] === null ? null : (row[3] as number) === 0 ? 0 : row[3]);
      expect(r.label, `row ${i} label`).toBe(row[4]);
      expect(r.note, `row ${i} note`).toBe(row[5]);
      expect((r.day as Date).toISOString().slice(0, 10), `row ${i} day`).toBe(row[6]);
      expect(r.flag, `row ${i} flag`).toBe(row[7]);
    });
    // rows 14-20 (the third row group) are null in every nullable column
    for (let i = 14; i <= 20; i++) expect([read[i].count, read[i].y, read[i].note, read[i].flag]).toEqual([null, null, null, null]);
  });

  it('declares the physical, logical and repetition types, Snappy pages, row groups of the size asked and no time stamp', async () => {
    const bytes = await parquetBytes(COLUMNS, sampleRows(), { rowGroupRows: 7 });
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(bytes.subarray(-4)).toString()).toBe('PAR1');
    const meta = parquetMetadata(arrayBuffer(bytes));
    expect(meta.created_by).toBe('hashmigrate version test');
    expect(meta.key_value_metadata ?? []).toEqual([]);
    expect(Number(meta.num_rows)).toBe(61);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 5]);
    const leaves = meta.schema.slice(1).map((s) => [s.name, s.type, s.repetition_type, s.logical_type?.type ?? null]);
    expect(leaves).toEqual([
      ['id', 'INT64', 'REQUIRED', null],
      ['count', 'INT64', 'OPTIONAL', null],
      ['x', 'DOUBLE', 'REQUIRED', null],
      ['y', 'DOUBLE', 'OPTIONAL', null],
      ['label', 'BYTE_ARRAY', 'REQUIRED', 'STRING'],
      ['note', 'BYTE_ARRAY', 'OPTIONAL', 'STRING'],
      ['day', 'INT32', 'REQUIRED', 'DATE'],
      ['flag', 'BOOLEAN', 'OPTIONAL', null],
    ]);
    for (const g of meta.row_groups) for (const c of g.columns) expect(c.meta_data?.codec).toBe('SNAPPY');
    // only the nullable columns carry definition levels (RLE)
    expect(meta.row_groups[0].columns.map((c) => c.meta_data?.encodings)).toEqual(COLUMNS.map((c) => (c.nullable ? ['PLAIN', 'RLE'] : ['PLAIN'])));
    // the null counts of the third row group (rows 14-20, all null in the nullable columns)
    expect(meta.row_groups[2].columns.map((c) => Number(c.meta_data?.statistics?.null_count))).toEqual(COLUMNS.map((c) => (c.nullable ? 7 : 0)));
  });

  it('gives the same bytes for the same rows, and other bytes for other rows', async () => {
    const a = await parquetBytes(COLUMNS, sampleRows(), { rowGroupRows: 7 });
    const b = await parquetBytes(COLUMNS, sampleRows(), { rowGroupRows: 7 });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const changed = sampleRows();
    changed[40][2] = 0.5;
    expect(Buffer.compare(Buffer.from(a), Buffer.from(await parquetBytes(COLUMNS, changed, { rowGroupRows: 7 })))).not.toBe(0);
  });

  it('writes uncompressed pages when asked, read back the same', async () => {
    const rows = sampleRows();
    const plain = await parquetBytes(COLUMNS, rows, { compression: 'none' });
    const meta = parquetMetadata(arrayBuffer(plain));
    expect(meta.row_groups[0].columns.map((c) => c.meta_data?.codec)).toEqual(COLUMNS.map(() => 'UNCOMPRESSED'));
    const snappy = await parquetBytes(COLUMNS, rows);
    expect(await parquetReadObjects({ file: arrayBuffer(plain) })).toEqual(await parquetReadObjects({ file: arrayBuffer(snappy) }));
  });

  it('writes a table with no rows: its schema and no row group', async () => {
    const bytes = await parquetBytes(COLUMNS, []);
    const meta = parquetMetadata(arrayBuffer(bytes));
    expect(meta.row_groups).toEqual([]);
    expect(meta.schema.slice(1).map((s) => s.name)).toEqual(COLUMNS.map((c) => c.name));
    expect(await parquetReadObjects({ file: arrayBuffer(bytes) })).toEqual([]);
  });

  it('refuses a null in a REQUIRED column, a non-finite number, a fractional integer and a bad date, naming row and column', async () => {
    const row = (): ParquetCell[] => [1, null, 0.5, null, 'a', null, '2024-01-01', null];
    const refuse = (c: number, value: ParquetCell) => {
      const w = new ParquetWriter(COLUMNS, { write: async () => {} }, { createdBy: 'test' });
      w.add(row());
      const bad = row();
      bad[c] = value;
      return () => w.add(bad);
    };
    expect(refuse(0, null)).toThrow(/row 2, column "id": null is not valid \(expected a value: the column is not nullable\)/);
    expect(refuse(2, Number.NaN)).toThrow(/row 2, column "x": NaN is not valid \(expected a finite number\)/);
    expect(refuse(2, Infinity)).toThrow(/column "x": Infinity is not valid/);
    expect(refuse(0, 1.5)).toThrow(/column "id": 1.5 is not valid \(expected a safe integer\)/);
    expect(refuse(6, '2023-02-29')).toThrow(/column "day": "2023-02-29" is not valid \(expected a date YYYY-MM-DD\)/);
    expect(refuse(4, 3)).toThrow(/column "label": 3 is not valid \(expected a string\)/);
  });

  it('daysSinceEpoch counts days from 1970-01-01 and refuses dates that do not exist', () => {
    expect(daysSinceEpoch('1970-01-01')).toBe(0);
    expect(daysSinceEpoch('1969-12-31')).toBe(-1);
    expect(daysSinceEpoch('2024-04-20')).toBe(19833);
    expect(daysSinceEpoch('2024-02-30')).toBeNull();
    expect(daysSinceEpoch('2024-4-20')).toBeNull();
  });
});

describe('our reader of these files (parquet-read.ts)', () => {
  it('reads every cell as hyparquet does, as the text the CSV writer gives it', async () => {
    const bytes = await parquetBytes(COLUMNS, sampleRows(), { rowGroupRows: 7 });
    const file = join(tmp(), 't.parquet');
    writeFileSync(file, bytes);
    const ours = readParquetTable(file);
    const theirs = (await parquetReadObjects({ file: arrayBuffer(bytes) })) as Record<string, unknown>[];
    expect(ours.header).toEqual(COLUMNS.map((c) => c.name));
    expect(ours.rows).toHaveLength(theirs.length);
    const asText = (v: unknown) => (v === null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));
    theirs.forEach((r, i) => expect(ours.rows[i], `row ${i}`).toEqual(COLUMNS.map((c) => asText(r[c.name]))));
  });

  it('refuses a file that is not Parquet, and one cut short', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.parquet'), 'epoch,value\n0,1\n');
    expect(() => readParquetTable(join(dir, 'x.parquet'))).toThrow(/x\.parquet: not a Parquet file \(expected PAR1 at its start and end\)/);
    const bytes = await parquetBytes(COLUMNS, sampleRows());
    writeFileSync(join(dir, 'cut.parquet'), bytes.subarray(0, bytes.length - 100));
    expect(() => readParquetTable(join(dir, 'cut.parquet'))).toThrow(/cut\.parquet: not a Parquet file/);
  });
});

describe('snappyCompress', () => {
  const roundTrip = (input: Uint8Array) => {
    const packed = snappyCompress(input);
    const theirs = new Uint8Array(input.length);
    hyparquetSnappy(packed, theirs);
    expect(Buffer.compare(Buffer.from(theirs), Buffer.from(input))).toBe(0);
    expect(Buffer.compare(Buffer.from(snappyUncompress(packed)), Buffer.from(input))).toBe(0);
    return packed;
  };

  it('round-trips through hyparquet\'s decoder: empty, one byte, random bytes of many lengths', () => {
    const rng = seedrandom('snappy-random');
    roundTrip(new Uint8Array(0));
    roundTrip(Uint8Array.of(7));
    for (const n of [3, 4, 5, 59, 60, 61, 255, 256, 257, 65535, 65536, 65537, 300_000]) {
      const input = Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
      const packed = roundTrip(input);
      // incompressible input costs at most a few bytes per 2^24 bytes of literal, and its preamble
      expect(packed.length).toBeLessThanOrEqual(n + 10);
    }
  });

  it('round-trips repetitive input (runs, short and long periods, matches past 64 KiB) and shrinks it', () => {
    const rng = seedrandom('snappy-repetitive');
    const cases: Uint8Array[] = [
      new Uint8Array(100_000).fill(97),
      Uint8Array.from({ length: 50_000 }, (_, i) => i % 3),
      Buffer.from('epoch,date,metric,region,value\n'.repeat(5000)),
      // a block of random bytes repeated 80 KiB apart: the second copy lies beyond a two-byte offset
      (() => {
        const block = Uint8Array.from({ length: 80_000 }, () => Math.floor(rng() * 256));
        return Uint8Array.from([...block, ...block, ...block.subarray(0, 1000)]);
      })(),
      // doubles of a slowly changing series, as a DOUBLE column of trajectories holds
      new Uint8Array(Float64Array.from({ length: 20_000 }, (_, i) => Math.round(1000 + 10 * Math.sin(i / 50))).buffer),
    ];
    const sizes = cases.map((input) => [input.length, roundTrip(input).length]);
    expect(sizes[0][1]).toBeLessThan(sizes[0][0] / 20);
    expect(sizes[1][1]).toBeLessThan(sizes[1][0] / 10);
    expect(sizes[2][1]).toBeLessThan(sizes[2][0] / 10);
    expect(sizes[4][1]).toBeLessThan(sizes[4][0] / 2);
  });

  it('gives the same bytes for the same input', () => {
    const input = Buffer.from('hashmigrate '.repeat(1000) + 'tail');
    expect(Buffer.compare(Buffer.from(snappyCompress(input)), Buffer.from(snappyCompress(input)))).toBe(0);
  });

  it('snappyUncompress refuses input cut short or copying from before the start', () => {
    const packed = snappyCompress(Buffer.from('abcdabcdabcdabcd'.repeat(10)));
    expect(() => snappyUncompress(packed.subarray(0, packed.length - 1))).toThrow(/snappy/);
    // preamble 8, then a copy (tag 01, length 4) at offset 5 with nothing written yet
    expect(() => snappyUncompress(Uint8Array.of(8, 0x01, 5))).toThrow(/copy from before the start/);
  });
});
