// Reads a dated series from a CSV: a header `date,<value>` with an optional `source` column (in
// any order), ISO dates in increasing order and one number per row. Shared by the replayed BTC price
// path and the replayed fee ratios; every problem is one UserError line naming the file and the row.
import { readInputText } from './read-input.ts';
import { UserError } from '../config/errors.ts';
import { parseCsv } from './csv-read.ts';
import { isCalendarDate } from '../config/calendar-date.ts';

export interface DatedValue {
  date: string;
  value: number;
}

export interface DatedColumn {
  /** name of the value column, e.g. "price" */
  name: string;
  /** what a valid value is, for messages, e.g. "a number > 0" */
  expected: string;
  valid: (value: number) => boolean;
}

/** Reads `file` (the config field `field` named it) into its rows, in date order. */
export function readDatedCsv(file: string, field: string, column: DatedColumn): DatedValue[] {
  const header = `date,${column.name}`;
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${field}: ${err.message}`);
    throw new UserError(`${field}: "${file}" cannot be read (expected a CSV file with header ${header}[,source])`);
  }
  const table = parseCsv(text.replace(/(\r?\n)+$/, '\n'), file);
  const names = table.header.map((h) => h.trim());
  const dateAt = names.indexOf('date');
  const valueAt = names.indexOf(column.name);
  const unknown = names.filter((h) => h !== 'date' && h !== column.name && h !== 'source');
  if (dateAt < 0 || valueAt < 0 || unknown.length > 0 || new Set(names).size !== names.length) {
    throw new UserError(`${file}: line 1: ${JSON.stringify(table.header.join(','))} is not valid (expected the header ${header} or ${header},source)`);
  }
  const rows: DatedValue[] = [];
  table.rows.forEach((row, i) => {
    const line = i + 2;
    const date = row[dateAt].trim();
    const raw = row[valueAt].trim();
    if (!isCalendarDate(date)) {
      throw new UserError(`${file}: line ${line}: date ${JSON.stringify(row[dateAt])} is not valid (expected an ISO date YYYY-MM-DD)`);
    }
    const value = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(value) || !column.valid(value)) {
      throw new UserError(`${file}: line ${line}: ${column.name} ${JSON.stringify(row[valueAt])} is not valid (expected ${column.expected})`);
    }
    if (rows.length && date <= rows[rows.length - 1].date) {
      throw new UserError(`${file}: line ${line}: date ${date} is not valid (expected dates in increasing order)`);
    }
    rows.push({ date, value });
  });
  if (rows.length === 0) throw new UserError(`${file}: no rows (expected at least one ${header} row)`);
  return rows;
}
