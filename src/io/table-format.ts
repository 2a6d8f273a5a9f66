// The formats a run's tables can be written in (`run --format`), and the file name of a table in each.

export const TABLE_FORMATS = ['csv', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export const DEFAULT_TABLE_FORMAT: TableFormat = 'csv';

/** The file of table `name` (epochs, replicates, …): epochs.csv or epochs.parquet. */
export function tableFile(name: string, format: TableFormat): string {
  return `${name}.${format}`;
}
