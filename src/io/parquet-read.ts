// Reads back the Parquet files parquet.ts writes, for the commands that read a run's tables (report,
// the summary, compare, reproduce across Node majors). It reads what that writer writes — a flat
// schema, data pages v1, PLAIN values, RLE/bit-packed definition levels, Snappy or no compression —
// and refuses anything else with a UserError naming the file. Cells come back as the text the CSV
// of the same run holds (numbers as String(n), dates YYYY-MM-DD, booleans TRUE/FALSE, null as ""),
// so one parser of cells serves both formats. A row group is read at a time, never the whole file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { UserError } from '../config/errors.ts';
import { ThriftReader, type ThriftStruct, type ThriftValue } from './thrift-compact.ts';
import { snappyUncompress } from './snappy.ts';
import { MAGIC } from './parquet.ts';
import type { CsvStreamResult } from './csv-stream.ts';

const DAY_MS = 86_400_000;
const decoder = new TextDecoder('utf-8', { fatal: true });

interface Leaf {
  name: string;
  type: number;
  optional: boolean;
  date: boolean;
}

const num = (v: ThriftValue | undefined): number => (typeof v === 'number' ? v : NaN);
const struct = (v: ThriftValue | undefined): ThriftStruct => (v instanceof Map ? v : new Map());
const list = (v: ThriftValue | undefined): ThriftValue[] => (Array.isArray(v) ? v : []);
const text = (v: ThriftValue | undefined): string => (v instanceof Uint8Array ? decoder.decode(v) : '');

function readAt(fd: number, position: number, length: number, file: string): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new UserError(`${file}: ends at byte ${position + got}; expected ${length} bytes at ${position} (the file is truncated)`);
    got += n;
  }
  return buf;
}

/** Decodes the RLE/bit-packed hybrid (Encodings.md) of `count` levels of bit width 1. */
function decodeLevels(buf: Uint8Array, count: number, file: string): Uint8Array {
  const levels = new Uint8Array(count);
  let pos = 0;
  let at = 0;
  while (at < count) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= buf.length) throw new UserError(`${file}: definition levels end early`);
      const b = buf[pos++];
      header += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (header % 2 === 0) {
      const n = header / 2;
      const value = buf[pos++] & 1;
      levels.fill(value, at, Math.min(count, at + n));
      at += n;
    } else {
      const n = ((header - 1) / 2) * 8;
      for (let k = 0; k < n && at < count; k++, at++) levels[at] = (buf[pos + (k >>> 3)] >>> (k & 7)) & 1;
      pos += n / 8;
    }
  }
  return levels;
}

/** The cells of `count` rows of one column chunk, as CSV text. */
function decodeValues(leaf: Leaf, page: Uint8Array, defs: Uint8Array | null, count: number, out: string[], file: string): void {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let pos = 0;
  let bit = 0;
  const need = (n: number) => {
    if (pos + n > page.length) throw new UserError(`${file}: column "${leaf.name}": a page ends inside its values`);
  };
  for (let r = 0; r < count; r++) {
    if (defs && defs[r] === 0) {
      out.push('');
      continue;
    }
    switch (leaf.type) {
      case 0: // BOOLEAN, bit-packed
        need(1);
        out.push((page[pos] >>> bit) & 1 ? 'TRUE' : 'FALSE');
        if (++bit === 8) {
          bit = 0;
          pos++;
        }
        break;
      case 1: // INT32 (DATE: days since 1970-01-01)
        need(4);
        out.push(leaf.date ? new Date(view.getInt32(pos, true) * DAY_MS).toISOString().slice(0, 10) : String(view.getInt32(pos, true)));
        pos += 4;
        break;
      case 2: // INT64
        need(8);
        out.push(String(view.getBigInt64(pos, true)));
        pos += 8;
        break;
      case 5: // DOUBLE
        need(8);
        out.push(String(view.getFloat64(pos, true)));
        pos += 8;
        break;
      case 6: {
        // BYTE_ARRAY: 4-byte length, then UTF-8
        need(4);
        const n = view.getUint32(pos, true);
        need(4 + n);
        out.push(decoder.decode(page.subarray(pos + 4, pos + 4 + n)));
        pos += 4 + n;
        break;
      }
    }
  }
}

/** Reads one column chunk's pages, starting at `offset`, into `count` cells of text. */
function readChunk(fd: number, file: string, leaf: Leaf, meta: ThriftStruct, count: number): string[] {
  const codec = num(meta.get(4));
  if (codec !== 0 && codec !== 1) throw new UserError(`${file}: column "${leaf.name}": compression codec ${codec} is not supported (expected Snappy or none, as hashmigrate writes)`);
  const size = num(meta.get(7));
  const start = num(meta.get(9));
  const bytes = readAt(fd, start, size, file);
  const cells: string[] = [];
  let pos = 0;
  while (cells.length < count) {
    const reader = new ThriftReader(bytes, pos);
    const header = reader.struct();
    pos = reader.pos;
    const pageType = num(header.get(1));
    const uncompressed = num(header.get(2));
    const compressed = num(header.get(3));
    const dp = struct(header.get(5));
    if (pageType !== 0 || num(dp.get(2)) !== 0) throw new UserError(`${file}: column "${leaf.name}": page type ${pageType}, encoding ${num(dp.get(2))} is not supported (expected PLAIN data pages v1, as hashmigrate writes)`);
    const raw = bytes.subarray(pos, pos + compressed);
    pos += compressed;
    const page = codec === 1 ? snappyUncompress(raw) : raw;
    if (page.length !== uncompressed) throw new UserError(`${file}: column "${leaf.name}": page of ${page.length} bytes, its header says ${uncompressed}`);
    const n = num(dp.get(1));
    let body = page;
    let defs: Uint8Array | null = null;
    if (leaf.optional) {
      const length = new DataView(page.buffer, page.byteOffset, page.byteLength).getUint32(0, true);
      defs = decodeLevels(page.subarray(4, 4 + length), n, file);
      body = page.subarray(4 + length);
    }
    decodeValues(leaf, body, defs, n, cells, file);
  }
  return cells;
}

/** The footer's FileMetaData of an open file. */
function readFooter(fd: number, file: string): ThriftStruct {
  const size = fstatSync(fd).size;
  const magic = new TextEncoder().encode(MAGIC);
  const notParquet = () => new UserError(`${file}: not a Parquet file (expected ${MAGIC} at its start and end)`);
  if (size < 12) throw notParquet();
  const head = readAt(fd, 0, 4, file);
  const tail = readAt(fd, size - 8, 8, file);
  if (!magic.every((b, i) => head[i] === b && tail[4 + i] === b)) throw notParquet();
  const length = new DataView(tail.buffer).getUint32(0, true);
  if (length > size - 12) throw new UserError(`${file}: footer of ${length} bytes is longer than the file`);
  try {
    return new ThriftReader(readAt(fd, size - 8 - length, length, file)).struct();
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: footer cannot be read (${(err as Error).message})`);
  }
}

function leaves(meta: ThriftStruct, file: string): Leaf[] {
  const schema = list(meta.get(2)).map(struct);
  const columns = schema.slice(1);
  if (schema.length === 0 || num(schema[0].get(5)) !== columns.length) throw new UserError(`${file}: the schema is not one flat list of columns (expected the tables hashmigrate writes)`);
  return columns.map((s) => {
    const leaf = { name: text(s.get(4)), type: num(s.get(1)), optional: num(s.get(3)) === 1, date: num(s.get(6)) === 6 };
    if (num(s.get(5)) > 0 || ![0, 1, 2, 5, 6].includes(leaf.type)) {
      throw new UserError(`${file}: column "${leaf.name}": physical type ${leaf.type}${num(s.get(5)) > 0 ? ' with children' : ''} is not supported (expected the flat tables hashmigrate writes)`);
    }
    return leaf;
  });
}

function sha256Of(fd: number): string {
  const hash = createHash('sha256');
  const buf = new Uint8Array(1 << 20);
  for (let position = 0; ; ) {
    const n = readSync(fd, buf, 0, buf.length, position);
    if (n === 0) return hash.digest('hex');
    hash.update(buf.subarray(0, n));
    position += n;
  }
}

/**
 * Calls `onHeader` with the column names, then `onRow(cells, index)` for every row of `file` in
 * order, row group by row group; returns the header, the row count and the file's SHA-256, as
 * forEachCsvRow does for a CSV.
 */
export function forEachParquetRow(file: string, onHeader: (header: string[]) => void, onRow: (row: string[], index: number) => void): CsvStreamResult {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new UserError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const meta = readFooter(fd, file);
    const cols = leaves(meta, file);
    const header = cols.map((c) => c.name);
    onHeader(header);
    let index = 0;
    for (const group of list(meta.get(4)).map(struct)) {
      const rows = num(group.get(3));
      const chunks = list(group.get(1)).map(struct);
      if (chunks.length !== cols.length) throw new UserError(`${file}: a row group has ${chunks.length} columns, the schema ${cols.length}`);
      const cells = chunks.map((chunk, c) => readChunk(fd, file, cols[c], struct(chunk.get(3)), rows));
      for (let r = 0; r < rows; r++) onRow(cells.map((column) => column[r]), index++);
    }
    return { header, rows: index, sha256: sha256Of(fd) };
  } finally {
    closeSync(fd);
  }
}

/** A whole (small) Parquet table as text cells: the header and every row. */
export function readParquetTable(file: string): { header: string[]; rows: string[][] } {
  const rows: string[][] = [];
  let header: string[] = [];
  forEachParquetRow(
    file,
    (h) => (header = h),
    (row) => rows.push(row),
  );
  return { header, rows };
}
