// Reads a replayed BTC price path: a CSV `date,price[,source]` (ISO dates, USD), sorted by date.
import type { PricePoint } from '../model/params.ts';
import { readDatedCsv } from './dated-csv.ts';

export function readPricePath(file: string, field: string): PricePoint[] {
  return readDatedCsv(file, field, { name: 'price', expected: 'a number > 0', valid: (v) => v > 0 }).map((r) => ({ date: r.date, priceUsd: r.value }));
}
