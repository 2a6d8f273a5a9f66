// One output table written row by row, as CSV (csv.ts) or as Parquet (parquet.ts), to a file that
// appears only once complete (atomic.ts). The writers of a run's tables add rows of cells and never
// see the format; the columns and their types come from datapackage.ts (tableColumns).
import { join } from 'node:path';
import { openAtomicStream, type AtomicFileStream } from './atomic.ts';
import { CsvWriter, type CsvCell, type CsvOptions } from './csv.ts';
import { CsvRecordParser } from './csv-stream.ts';
import { ParquetWriter, type ParquetCell, type ParquetColumn } from './parquet.ts';
import { packageVersion } from './manifest.ts';
import { DEFAULT_TABLE_FORMAT, tableFile, type TableFormat } from './table-format.ts';

export interface TableOptions extends CsvOptions {
  /** csv (default) or parquet; --excel shapes CSV only */
  format?: TableFormat;
}

export interface TableSink {
  /** the file name written into the folder: epochs.csv, epochs.parquet, … */
  readonly file: string;
  /** Adds one row (cells in column order). */
  add(cells: readonly CsvCell[]): void;
  /** Adds rows already formatted by a CsvWriter with the same columns and options (agents' rows, made by the workers). */
  addCsvText(text: string): void;
  /** Writes what the rows added so far have made; awaiting it bounds the memory held. */
  flush(): Promise<void>;
  /** Completes the file and moves it into place. */
  commit(): Promise<void>;
  /** Discards it (no-op after commit). */
  abort(): Promise<void>;
}

class CsvSink implements TableSink {
  private readonly writer: CsvWriter;
  private parts: string[];

  constructor(
    readonly file: string,
    header: readonly string[],
    opts: CsvOptions,
    private readonly out: AtomicFileStream,
  ) {
    this.writer = new CsvWriter(header, opts);
    this.parts = [this.writer.start()];
  }

  add(cells: readonly CsvCell[]): void {
    this.parts.push(this.writer.row(cells));
  }

  addCsvText(text: string): void {
    this.parts.push(text);
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    await this.out.write(text);
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/** A CSV cell as a Parquet cell of the column's type: "" is null, numbers are parsed (String(n) round-trips). */
export function cellFromText(column: ParquetColumn, text: string): ParquetCell {
  if (text === '') return null;
  switch (column.type) {
    case 'integer':
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 'TRUE' ? true : text === 'FALSE' ? false : text;
    default:
      return text;
  }
}

class ParquetSink implements TableSink {
  private readonly writer: ParquetWriter;
  private readonly parser: CsvRecordParser;

  constructor(
    readonly file: string,
    private readonly columns: readonly ParquetColumn[],
    private readonly out: AtomicFileStream,
  ) {
    this.writer = new ParquetWriter(columns, out, { createdBy: `hashmigrate version ${packageVersion()}` });
    this.parser = new CsvRecordParser((record) => this.writer.add(record.map((text, c) => cellFromText(this.columns[c], text))), file);
  }

  add(cells: readonly CsvCell[]): void {
    this.writer.add(cells);
  }

  addCsvText(text: string): void {
    this.parser.push(text);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async commit(): Promise<void> {
    this.parser.end();
    await this.writer.finish();
    await this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/**
 * Opens table `name` in `dir` (epochs.csv or epochs.parquet). `header` is the writer's own list of
 * columns; it must be that of `columns` (datapackage.ts), which a test of every table checks.
 */
export async function openTable(dir: string, name: string, header: readonly string[], columns: readonly ParquetColumn[], opts: TableOptions): Promise<TableSink> {
  const names = columns.map((c) => c.name);
  if (names.join('\u0000') !== header.join('\u0000')) throw new Error(`openTable: ${name}: columns ${header.join(',')} differ from datapackage.json's ${names.join(',')}`);
  const format = opts.format ?? DEFAULT_TABLE_FORMAT;
  const file = tableFile(name, format);
  const out = await openAtomicStream(join(dir, file));
  return format === 'parquet' ? new ParquetSink(file, columns, out) : new CsvSink(file, header, { excel: opts.excel }, out);
}

/** Writes a whole table at once: opened, every row added, committed (aborted on an error). */
export async function writeTable(dir: string, name: string, header: readonly string[], columns: readonly ParquetColumn[], opts: TableOptions, rows: Iterable<readonly CsvCell[]>): Promise<string> {
  const sink = await openTable(dir, name, header, columns, opts);
  try {
    for (const row of rows) sink.add(row);
    await sink.commit();
  } finally {
    await sink.abort();
  }
  return sink.file;
}
