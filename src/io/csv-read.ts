// A small RFC 4180 reader for the project's own CSV outputs: quoted fields, doubled quotes, CRLF or
// LF line ends, and the UTF-8 BOM written by `--excel`. Errors are UserErrors naming the file.
import { UserError } from '../config/errors.ts';

export interface CsvTable {
  header: string[];
  /** data rows, each as long as the header */
  rows: string[][];
}

/** Parses `text` (the contents of `file`) into a header and rows of equal length. */
export function parseCsv(text: string, file: string): CsvTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '') {
      // quoted field: runs to the closing quote, "" stands for one quote
      i++;
      for (;;) {
        if (i >= n) throw new UserError(`${file}: line ${records.length + 1}: unterminated quoted field; expected a closing "`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  if (records.length === 0) throw new UserError(`${file}: the file is empty; expected a header row`);
  const [header, ...rows] = records;
  rows.forEach((row, k) => {
    if (row.length !== header.length) {
      throw new UserError(`${file}: line ${k + 2}: ${row.length} fields; expected ${header.length} as in the header`);
    }
  });
  return { header, rows };
}
