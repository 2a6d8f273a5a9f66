import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/config/errors.ts';
import { parseCsv } from '../../src/io/csv-read.ts';

describe('parseCsv(text, file)', () => {
  it('reads a header and rows', () => {
    expect(parseCsv('a,b\n1,2\n3,\n', 'x.csv')).toEqual({ header: ['a', 'b'], rows: [['1', '2'], ['3', '']] });
  });

  it('reads the BOM and CRLF line ends of --excel output', () => {
    expect(parseCsv('\ufeffa,b\r\n1,2\r\n', 'x.csv')).toEqual({ header: ['a', 'b'], rows: [['1', '2']] });
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\n"x, ""y""","1\n2"\n', 'x.csv').rows).toEqual([['x, "y"', '1\n2']]);
  });

  it('reads a last row without a line end', () => {
    expect(parseCsv('a\n1', 'x.csv').rows).toEqual([['1']]);
  });

  it('rejects a row whose length differs from the header, naming file and line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'dir/epochs.csv')).toThrow(UserError);
    expect(() => parseCsv('a,b\n1,2\n3\n', 'dir/epochs.csv')).toThrow(/^dir\/epochs\.csv: line 3: 1 fields; expected 2/);
  });

  it('rejects an empty file and an unterminated quote', () => {
    expect(() => parseCsv('', 'e.csv')).toThrow(/^e\.csv: the file is empty/);
    expect(() => parseCsv('a\n"x', 'e.csv')).toThrow(/^e\.csv: line 2: unterminated quoted field/);
  });
});
