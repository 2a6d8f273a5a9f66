// Reads a replayed BTC price path: a CSV with header `date,price` (ISO dates, USD), sorted by date.
import { readFileSync } from 'node:fs';
import { UserError } from '../config/errors.ts';
import type { PricePoint } from '../model/params.ts';

export function readPricePath(file: string, field: string): PricePoint[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${field}: "${file}" cannot be read (expected a CSV file with header date,price)`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== 'date,price') throw new UserError(`${file}: line 1: ${JSON.stringify(lines[0] ?? '')} is not valid (expected the header date,price)`);
  const points: PricePoint[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [date, price, extra] = lines[i].split(',');
    const value = Number(price);
    if (extra !== undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date ?? '') || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new UserError(`${file}: line ${i + 1}: ${JSON.stringify(lines[i])} is not valid (expected YYYY-MM-DD,price)`);
    }
    if (!(value > 0) || !Number.isFinite(value)) throw new UserError(`${file}: line ${i + 1}: price ${JSON.stringify(price)} is not valid (expected a number > 0)`);
    if (points.length && date <= points[points.length - 1].date) throw new UserError(`${file}: line ${i + 1}: date ${date} is not valid (expected dates in increasing order)`);
    points.push({ date, priceUsd: value });
  }
  if (points.length === 0) throw new UserError(`${file}: no rows (expected at least one date,price row)`);
  return points;
}
