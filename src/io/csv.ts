// CSV writing per RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180), UTF-8.
//
// Cell rules:
// - a field containing a comma, double quote, CR or LF is enclosed in double quotes, and each
//   double quote inside it is doubled (RFC 4180 §2.5–2.7);
// - booleans are TRUE / FALSE (what spreadsheets write and read back as booleans);
// - null and undefined are an empty field;
// - finite numbers are String(n): the shortest decimal that round-trips to the same double
//   (ECMA-262 Number::toString), so re-reading is exact and output is deterministic. Very large or
//   small magnitudes keep the exponent form String gives (1e+21, 1e-7), which every CSV reader we
//   target parses as a number. -0 is written 0. NaN and ±Infinity throw, naming the column.
//
// Excel mode (`excel: true`) is for files meant to be opened in a spreadsheet:
// - CRLF line endings (RFC 4180 §2.1) and, from csvTable, a UTF-8 byte-order mark, without which
//   Excel reads UTF-8 as the ANSI code page;
// - text cells beginning with = + - @ (or TAB / CR) get a leading apostrophe so they are not run as
//   formulas (OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection).
//   Numbers are never altered: a negative number is data, not a formula.

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** spreadsheet-friendly output: CRLF, formula-safe text, BOM in csvTable (default false) */
  excel?: boolean;
}

const UTF8_BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/** The line terminator a row ends with: "\n", or "\r\n" in excel mode. */
export function csvLineEnding(opts: CsvOptions = {}): string {
  return opts.excel ? '\r\n' : '\n';
}

function columnName(index: number, columns: readonly string[] | undefined): string {
  const name = columns?.[index];
  return name === undefined ? `column ${index}` : `column "${name}" (index ${index})`;
}

function quoteIfNeeded(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function formatCell(
  cell: CsvCell,
  index: number,
  opts: CsvOptions,
  columns: readonly string[] | undefined,
): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) {
      throw new Error(`csvRow: ${columnName(index, columns)} is ${cell}, expected a finite number`);
    }
    return Object.is(cell, -0) ? '0' : String(cell);
  }
  if (typeof cell === 'string') {
    const text = opts.excel && FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
    return quoteIfNeeded(text);
  }
  throw new TypeError(
    `csvRow: ${columnName(index, columns)} is of type ${typeof cell}, expected string, number, boolean, null or undefined`,
  );
}

/**
 * One CSV record, terminated by the line ending ("\n", or "\r\n" in excel mode) so that rows can
 * be concatenated or streamed as they are. `columns` (usually the header) only names the column
 * in error messages.
 */
export function csvRow(
  cells: readonly CsvCell[],
  opts: CsvOptions = {},
  columns?: readonly string[],
): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += formatCell(cells[i], i, opts, columns);
  }
  return line + csvLineEnding(opts);
}

/**
 * Formats a table one row at a time against a fixed header, checking every row's width; for
 * outputs too large to build as one string (write each piece to an AtomicFileStream).
 */
export class CsvWriter {
  readonly header: readonly string[];
  readonly opts: CsvOptions;

  constructor(header: readonly string[], opts: CsvOptions = {}) {
    this.header = [...header];
    this.opts = { ...opts };
  }

  /** The start of the file: the BOM (excel mode only) and the header row. */
  start(): string {
    return (this.opts.excel ? UTF8_BOM : '') + csvRow(this.header, this.opts, this.header);
  }

  /** One data row; throws if its width differs from the header's (RFC 4180 §2.4). */
  row(cells: readonly CsvCell[]): string {
    if (cells.length !== this.header.length) {
      throw new Error(
        `CsvWriter: row has ${cells.length} cells, expected ${this.header.length} (${this.header.join(', ')})`,
      );
    }
    return csvRow(cells, this.opts, this.header);
  }
}

/** A whole table as one string: BOM (excel mode), header row, then each row, each terminated. */
export function csvTable(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  opts: CsvOptions = {},
): string {
  const writer = new CsvWriter(header, opts);
  const pieces = [writer.start()];
  for (const cells of rows) pieces.push(writer.row(cells));
  return pieces.join('');
}

