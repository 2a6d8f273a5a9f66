// Reads one of the project's CSV outputs row by row, a chunk at a time, so that a large file
// (epochs.csv of a big sweep, hundreds of MB) never sits in memory as one text or as a table of
// strings. Same dialect and errors as csv-read.ts (quoted fields, doubled quotes, CRLF or LF, the
// UTF-8 BOM of `--excel`); synchronous, so callers need not become async. The SHA-256 of the bytes
// is computed on the way, for the check against the manifest.
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../config/errors.ts';

const CHUNK_BYTES = 1 << 20;
/** No cell of the project's outputs comes near this; a longer one is not such a file (and would grow without bound). */
export const MAX_FIELD_CHARS = 1 << 20;

/** A record parser fed text in pieces; calls `onRecord` with each complete record. */
export class CsvRecordParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** inside a quoted field, the previous character was a quote (a closing one, or half of "") */
  private quotePending = false;
  /** the previous piece ended with \r: a \n starting the next one belongs to the same line end */
  private afterCr = false;
  private started = false;
  private fieldStarted = false;
  records = 0;

  constructor(
    private readonly onRecord: (record: string[]) => void,
    private readonly file: string,
  ) {}

  push(text: string): void {
    let i = 0;
    const n = text.length;
    if (!this.started && n > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.afterCr && i < n) {
      this.afterCr = false;
      if (text[i] === '\n') i++;
    }
    let runStart = i;
    const flushRun = (end: number) => {
      if (end > runStart) this.field += text.slice(runStart, end);
      if (this.field.length > MAX_FIELD_CHARS) {
        throw new UserError(`${this.file}: line ${this.records + 1}: a field longer than ${MAX_FIELD_CHARS} characters; expected a CSV output of hashmigrate`);
      }
    };
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === 34) {
            // "" inside a quoted field: one quote
            this.field += '"';
            i++;
            runStart = i;
            continue;
          }
          // the quote closed the field; this character is read as outside it
          this.quoted = false;
          runStart = i;
          continue;
        }
        if (c === 34) {
          flushRun(i);
          this.quotePending = true;
          i++;
          runStart = i;
          continue;
        }
        i++;
        continue;
      }
      if (c === 34 && !this.fieldStarted && this.field === '') {
        this.quoted = true;
        this.fieldStarted = true;
        i++;
        runStart = i;
        continue;
      }
      if (c === 44) {
        flushRun(i);
        this.endField();
        i++;
        runStart = i;
      } else if (c === 10 || c === 13) {
        flushRun(i);
        this.endField();
        this.endRecord();
        if (c === 13) {
          if (i + 1 < n) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else this.afterCr = true;
        }
        i++;
        runStart = i;
      } else {
        this.fieldStarted = true;
        i++;
      }
    }
    flushRun(n);
  }

  /** Ends the input: a last record without a line end counts; an open quote is an error. */
  end(): void {
    if (this.quoted && !this.quotePending) throw new UserError(`${this.file}: line ${this.records + 1}: unterminated quoted field; expected a closing "`);
    this.quoted = false;
    this.quotePending = false;
    if (this.field !== '' || this.fieldStarted || this.record.length > 0) {
      this.endField();
      this.endRecord();
    }
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(): void {
    const record = this.record;
    this.record = [];
    this.records++;
    this.onRecord(record);
  }
}

export interface CsvStreamResult {
  header: string[];
  /** data rows read */
  rows: number;
  /** SHA-256 (hex) of the file's bytes */
  sha256: string;
}

/**
 * Calls `onRow(row, index)` for each data row of `file` (index 0 is the line after the header), the
 * header first checked by `onHeader`. Rows of a length other than the header's are a UserError
 * naming the line, as in parseCsv.
 */
export function forEachCsvRow(file: string, onHeader: (header: string[]) => void, onRow: (row: string[], index: number) => void): CsvStreamResult {
  let header: string[] | null = null;
  let rows = 0;
  const parser = new CsvRecordParser((record) => {
    if (header === null) {
      header = record;
      onHeader(header);
      return;
    }
    if (record.length !== header.length) throw new UserError(`${file}: line ${rows + 2}: ${record.length} fields; expected ${header.length} as in the header`);
    onRow(record, rows++);
  }, file);
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const got = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (got === 0) break;
      const bytes = buffer.subarray(0, got);
      hash.update(bytes);
      parser.push(decoder.write(bytes));
    }
    parser.push(decoder.end());
    parser.end();
  } finally {
    closeSync(fd);
  }
  if (header === null) throw new UserError(`${file}: the file is empty; expected a header row`);
  return { header, rows, sha256: hash.digest('hex') };
}
