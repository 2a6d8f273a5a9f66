// Reads a run's tables whatever their format: name.csv (csv-stream.ts, csv-read.ts) or
// name.parquet (parquet-read.ts), the cells as text in both cases (a Parquet cell as the CSV of the
// same run writes it), so that the report, the summary and compare read either with one parser.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachCsvRow, type CsvStreamResult } from './csv-stream.ts';
import { parseCsv } from './csv-read.ts';
import { forEachParquetRow, readParquetTable } from './parquet-read.ts';
import { TABLE_FORMATS, tableFile } from './table-format.ts';

/**
 * The path of table `name` in `dir`: the file the manifest's `outputs` list, when given, else
 * whichever exists (CSV first); name.csv when neither does, for the caller's "missing" message.
 */
export function tablePath(dir: string, name: string, outputs?: Record<string, string>): string {
  const files = TABLE_FORMATS.map((f) => tableFile(name, f));
  const listed = outputs ? files.find((f) => outputs[f] !== undefined) : undefined;
  return join(dir, listed ?? files.find((f) => existsSync(join(dir, f))) ?? files[0]);
}

const isParquet = (file: string) => file.endsWith('.parquet');

/** forEachCsvRow, or its Parquet counterpart for a .parquet file. */
export function forEachTableRow(file: string, onHeader: (header: string[]) => void, onRow: (row: string[], index: number) => void): CsvStreamResult {
  return isParquet(file) ? forEachParquetRow(file, onHeader, onRow) : forEachCsvRow(file, onHeader, onRow);
}

/** A whole (small) table: its header and rows of text cells. */
export function readTable(file: string): { header: string[]; rows: string[][] } {
  return isParquet(file) ? readParquetTable(file) : parseCsv(readFileSync(file, 'utf8'), file);
}
