// A Parquet writer for the project's tables (apache/parquet-format: README.md, Encodings.md,
// LogicalTypes.md, src/main/thrift/parquet.thrift). What it writes, and nothing more:
// - a flat schema of one column per table field, REQUIRED, or OPTIONAL for a field that may be
//   empty; integer → INT64, number → DOUBLE, string → BYTE_ARRAY (STRING), date → INT32 (DATE,
//   days since 1970-01-01), boolean → BOOLEAN;
// - row groups of at most `rowGroupRows` rows, each column chunk one data page (v1), PLAIN encoded;
//   definition levels (RLE runs of the RLE/bit-packed hybrid, bit width 1) only in OPTIONAL columns;
// - pages compressed with Snappy (snappy.ts), or stored uncompressed;
// - the footer: FileMetaData in Thrift's compact protocol (thrift-compact.ts), with `created_by`
//   naming this software and no time stamp, so the same rows always give the same bytes.
// Rows are added one at a time; a full row group is encoded at once and its bytes handed to the
// sink, so the memory held is one row group's, whatever the table's length.
import { encodeStruct, type ThriftField } from './thrift-compact.ts';
import { snappyCompress } from './snappy.ts';

export type ColumnType = 'integer' | 'number' | 'string' | 'date' | 'boolean';

export interface ParquetColumn {
  name: string;
  type: ColumnType;
  /** OPTIONAL (a cell may be null or undefined) rather than REQUIRED */
  nullable: boolean;
}

export type ParquetCell = string | number | boolean | null | undefined;

export interface ParquetOptions {
  /** `created_by` of the footer, e.g. "hashmigrate version 0.1.0" */
  createdBy: string;
  /** rows per row group (default ROW_GROUP_ROWS) */
  rowGroupRows?: number;
  /** page compression (default snappy) */
  compression?: 'snappy' | 'none';
}

/**
 * Rows per row group: 2^17, so that a DOUBLE column chunk (one page) holds 1 MiB of values, the
 * data page size Arrow and parquet-mr aim at; a row group of the widest table (epochs, 20 columns)
 * then holds about 20 MiB before compression.
 */
export const ROW_GROUP_ROWS = 1 << 17;

export const MAGIC = 'PAR1';

/** parquet.thrift enums */
const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const REPETITION = { REQUIRED: 0, OPTIONAL: 1 } as const;
const CONVERTED = { UTF8: 0, DATE: 6 } as const;
const ENCODING = { PLAIN: 0, RLE: 3 } as const;
const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;
const DATA_PAGE = 0;

const PHYSICAL: Record<ColumnType, number> = { integer: TYPE.INT64, number: TYPE.DOUBLE, string: TYPE.BYTE_ARRAY, date: TYPE.INT32, boolean: TYPE.BOOLEAN };

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const encoder = new TextEncoder();

/** Days since 1970-01-01 of a YYYY-MM-DD date (Parquet's DATE); null when the text is not one. */
export function daysSinceEpoch(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().startsWith(text) ? ms / DAY_MS : null;
}

/** The schema elements: the root, then one leaf per column. */
function schemaElements(columns: readonly ParquetColumn[]): ThriftField[][] {
  const root: ThriftField[] = [
    { id: 4, type: 'binary', value: 'schema' },
    { id: 5, type: 'i32', value: columns.length },
  ];
  return [
    root,
    ...columns.map((c): ThriftField[] => {
      const fields: ThriftField[] = [
        { id: 1, type: 'i32', value: PHYSICAL[c.type] },
        { id: 3, type: 'i32', value: c.nullable ? REPETITION.OPTIONAL : REPETITION.REQUIRED },
        { id: 4, type: 'binary', value: c.name },
      ];
      // the converted type (older readers) and the logical type (LogicalTypes.md) of text and dates
      if (c.type === 'string') fields.push({ id: 6, type: 'i32', value: CONVERTED.UTF8 }, { id: 10, type: 'struct', value: [{ id: 1, type: 'struct', value: [] }] });
      if (c.type === 'date') fields.push({ id: 6, type: 'i32', value: CONVERTED.DATE }, { id: 10, type: 'struct', value: [{ id: 6, type: 'struct', value: [] }] });
      return fields;
    }),
  ];
}

/** Definition levels of an OPTIONAL column (1 present, 0 null) as RLE runs, after their 4-byte length. */
function definitionLevels(defs: Uint8Array, n: number): Uint8Array {
  const out: number[] = [0, 0, 0, 0];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && defs[j] === defs[i]) j++;
    // an RLE run: varint(count << 1), then the value in one byte (bit width 1)
    for (let header = (j - i) * 2; ; header = Math.floor(header / 128)) {
      if (header < 0x80) {
        out.push(header);
        break;
      }
      out.push((header % 128) | 0x80);
    }
    out.push(defs[i]);
    i = j;
  }
  const length = out.length - 4;
  out[0] = length & 0xff;
  out[1] = (length >>> 8) & 0xff;
  out[2] = (length >>> 16) & 0xff;
  out[3] = length >>> 24;
  return Uint8Array.from(out);
}

/** The values of one column chunk, PLAIN encoded (Encodings.md). */
function plainValues(type: ColumnType, values: readonly (number | string | boolean)[]): Uint8Array {
  const n = values.length;
  switch (type) {
    case 'number': {
      const out = new Uint8Array(8 * n);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setFloat64(8 * i, values[i] as number, true);
      return out;
    }
    case 'integer': {
      const out = new Uint8Array(8 * n);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setBigInt64(8 * i, BigInt(values[i] as number), true);
      return out;
    }
    case 'date': {
      const out = new Uint8Array(4 * n);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setInt32(4 * i, values[i] as number, true);
      return out;
    }
    case 'boolean': {
      // bit-packed, least significant bit first
      const out = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (values[i]) out[i >>> 3] |= 1 << (i & 7);
      return out;
    }
    case 'string': {
      // each value: its UTF-8 length as 4 little-endian bytes, then the bytes
      const encoded = new Map<string, Uint8Array>();
      const parts: Uint8Array[] = [];
      let size = 0;
      for (let i = 0; i < n; i++) {
        const text = values[i] as string;
        let bytes = encoded.get(text);
        if (!bytes) {
          bytes = encoder.encode(text);
          if (encoded.size < 4096) encoded.set(text, bytes);
        }
        parts.push(bytes);
        size += 4 + bytes.length;
      }
      const out = new Uint8Array(size);
      const view = new DataView(out.buffer);
      let at = 0;
      for (const bytes of parts) {
        view.setUint32(at, bytes.length, true);
        out.set(bytes, at + 4);
        at += 4 + bytes.length;
      }
      return out;
    }
  }
}

interface ColumnBuffer {
  values: (number | string | boolean)[];
  /** definition level of each row (OPTIONAL columns) */
  defs: Uint8Array;
}

interface ChunkMeta {
  fields: ThriftField[];
  uncompressed: number;
  compressed: number;
}

export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

/** Writes one table as a Parquet file into `sink`: add() each row, then finish(). */
export class ParquetWriter {
  readonly columns: readonly ParquetColumn[];
  private readonly rowGroupRows: number;
  private readonly codec: number;
  private readonly createdBy: string;
  private buffers: ColumnBuffer[];
  private rows = 0;
  private totalRows = 0;
  private offset = 0;
  private readonly rowGroups: ThriftField[][] = [];
  /** encoded bytes not yet handed to the sink */
  private pending: Uint8Array[] = [];
  private finished = false;

  constructor(
    columns: readonly ParquetColumn[],
    private readonly sink: ByteSink,
    options: ParquetOptions,
  ) {
    if (columns.length === 0) throw new Error('ParquetWriter: no columns');
    this.columns = columns.map((c) => ({ ...c }));
    this.rowGroupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
    if (!Number.isSafeInteger(this.rowGroupRows) || this.rowGroupRows < 1) throw new Error(`ParquetWriter: rowGroupRows ${this.rowGroupRows} is not an integer >= 1`);
    this.codec = options.compression === 'none' ? CODEC.UNCOMPRESSED : CODEC.SNAPPY;
    this.createdBy = options.createdBy;
    this.buffers = this.emptyBuffers();
    this.emit(encoder.encode(MAGIC));
  }

  private emptyBuffers(): ColumnBuffer[] {
    return this.columns.map((c) => ({ values: [], defs: new Uint8Array(c.nullable ? this.rowGroupRows : 0) }));
  }

  private emit(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.offset += bytes.length;
  }

  private fail(c: number, cell: unknown, expected: string): never {
    const col = this.columns[c];
    throw new Error(`ParquetWriter: row ${this.totalRows + this.rows + 1}, column "${col.name}": ${typeof cell === 'string' ? JSON.stringify(cell) : String(cell)} is not valid (expected ${expected})`);
  }

  /** Adds one row: a cell per column, of the column's type (null or undefined where nullable). */
  add(cells: readonly ParquetCell[]): void {
    if (this.finished) throw new Error('ParquetWriter: add after finish');
    if (cells.length !== this.columns.length) throw new Error(`ParquetWriter: row has ${cells.length} cells, expected ${this.columns.length} (${this.columns.map((c) => c.name).join(', ')})`);
    for (let c = 0; c < cells.length; c++) {
      const col = this.columns[c];
      const buf = this.buffers[c];
      const cell = cells[c];
      if (cell === null || cell === undefined) {
        if (!col.nullable) this.fail(c, cell, `a value: the column is not nullable`);
        continue; // defs[row] stays 0
      }
      switch (col.type) {
        case 'number':
          if (typeof cell !== 'number' || !Number.isFinite(cell)) this.fail(c, cell, 'a finite number');
          // -0 as 0, as the CSV writes it
          buf.values.push(cell === 0 ? 0 : cell);
          break;
        case 'integer':
          if (typeof cell !== 'number' || !Number.isSafeInteger(cell)) this.fail(c, cell, 'a safe integer');
          buf.values.push(cell === 0 ? 0 : cell);
          break;
        case 'string':
          if (typeof cell !== 'string') this.fail(c, cell, 'a string');
          buf.values.push(cell);
          break;
        case 'date': {
          const days = typeof cell === 'string' ? daysSinceEpoch(cell) : null;
          if (days === null) this.fail(c, cell, 'a date YYYY-MM-DD');
          buf.values.push(days);
          break;
        }
        case 'boolean':
          if (typeof cell !== 'boolean') this.fail(c, cell, 'a boolean');
          buf.values.push(cell);
          break;
      }
      if (col.nullable) buf.defs[this.rows] = 1;
    }
    this.rows++;
    if (this.rows === this.rowGroupRows) this.endRowGroup();
  }

  /** Hands the bytes encoded so far to the sink (awaiting it bounds what waits in memory). */
  async flush(): Promise<void> {
    const chunks = this.pending;
    this.pending = [];
    for (const chunk of chunks) await this.sink.write(chunk);
  }

  private endRowGroup(): void {
    if (this.rows === 0) return;
    const start = this.offset;
    const chunks: ChunkMeta[] = this.columns.map((col, c) => this.writeChunk(col, this.buffers[c]));
    const size = (k: 'uncompressed' | 'compressed') => chunks.reduce((s, m) => s + m[k], 0);
    this.rowGroups.push([
      { id: 1, type: 'list', element: 'struct', value: chunks.map((m) => m.fields) },
      { id: 2, type: 'i64', value: size('uncompressed') },
      { id: 3, type: 'i64', value: this.rows },
      { id: 5, type: 'i64', value: start },
      { id: 6, type: 'i64', value: size('compressed') },
      { id: 7, type: 'i16', value: this.rowGroups.length },
    ]);
    this.totalRows += this.rows;
    this.rows = 0;
    this.buffers = this.emptyBuffers();
  }

  /** One column chunk of the row group: a page header and its page; returns its ColumnChunk fields. */
  private writeChunk(col: ParquetColumn, buf: ColumnBuffer): ChunkMeta {
    const values = plainValues(col.type, buf.values);
    let page = values;
    if (col.nullable) {
      const levels = definitionLevels(buf.defs, this.rows);
      page = new Uint8Array(levels.length + values.length);
      page.set(levels);
      page.set(values, levels.length);
    }
    const body = this.codec === CODEC.SNAPPY ? snappyCompress(page) : page;
    const header = encodeStruct([
      { id: 1, type: 'i32', value: DATA_PAGE },
      { id: 2, type: 'i32', value: page.length },
      { id: 3, type: 'i32', value: body.length },
      {
        id: 5,
        type: 'struct',
        value: [
          { id: 1, type: 'i32', value: this.rows },
          { id: 2, type: 'i32', value: ENCODING.PLAIN },
          { id: 3, type: 'i32', value: ENCODING.RLE },
          { id: 4, type: 'i32', value: ENCODING.RLE },
        ],
      },
    ]);
    const pageOffset = this.offset;
    this.emit(header);
    this.emit(body);
    const uncompressed = header.length + page.length;
    const compressed = header.length + body.length;
    const meta: ThriftField[] = [
      { id: 1, type: 'i32', value: PHYSICAL[col.type] },
      { id: 2, type: 'list', element: 'i32', value: col.nullable ? [ENCODING.PLAIN, ENCODING.RLE] : [ENCODING.PLAIN] },
      { id: 3, type: 'list', element: 'binary', value: [col.name] },
      { id: 4, type: 'i32', value: this.codec },
      { id: 5, type: 'i64', value: this.rows },
      { id: 6, type: 'i64', value: uncompressed },
      { id: 7, type: 'i64', value: compressed },
      { id: 9, type: 'i64', value: pageOffset },
      { id: 12, type: 'struct', value: [{ id: 3, type: 'i64', value: this.rows - buf.values.length }] },
    ];
    return {
      fields: [
        { id: 2, type: 'i64', value: pageOffset },
        { id: 3, type: 'struct', value: meta },
      ],
      uncompressed,
      compressed,
    };
  }

  /** Writes the last row group and the footer, and hands every byte to the sink. */
  async finish(): Promise<void> {
    if (this.finished) throw new Error('ParquetWriter: finish called twice');
    this.endRowGroup();
    this.finished = true;
    const footer = encodeStruct([
      { id: 1, type: 'i32', value: 1 },
      { id: 2, type: 'list', element: 'struct', value: schemaElements(this.columns) },
      { id: 3, type: 'i64', value: this.totalRows },
      { id: 4, type: 'list', element: 'struct', value: this.rowGroups },
      { id: 6, type: 'binary', value: this.createdBy },
    ]);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, footer.length, true);
    tail.set(encoder.encode(MAGIC), 4);
    this.emit(footer);
    this.emit(tail);
    await this.flush();
  }
}
