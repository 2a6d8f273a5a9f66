import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvWriter, csvLineEnding, csvRow, csvTable } from '../../src/io/csv.ts';

/** Parses CSV text back into string cells, as a downstream reader would. */
function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

describe('csvRow', () => {
  it('csvRow(plain strings) joins with commas and ends with \\n', () => {
    expect(csvRow(['a', 'b', 'c'])).toBe('a,b,c\n');
  });

  it('csvRow(cell with a comma) quotes it', () => {
    expect(csvRow(['a,b'])).toBe('"a,b"\n');
  });

  it('csvRow(cell with a quote) quotes it and doubles the quote', () => {
    expect(csvRow(['say "hi"'])).toBe('"say ""hi"""\n');
  });

  it('csvRow(cell with LF) quotes it', () => {
    expect(csvRow(['line1\nline2'])).toBe('"line1\nline2"\n');
  });

  it('csvRow(cell with CR) quotes it', () => {
    expect(csvRow(['a\rb'])).toBe('"a\rb"\n');
  });

  it('csvRow(leading and trailing spaces) leaves them unquoted, as RFC 4180 allows', () => {
    expect(csvRow([' a ', 'b'])).toBe(' a ,b\n');
  });

  it('csvRow(booleans) writes TRUE and FALSE', () => {
    expect(csvRow([true, false])).toBe('TRUE,FALSE\n');
  });

  it('csvRow(null, undefined, "") writes three empty fields', () => {
    expect(csvRow([null, undefined, ''])).toBe(',,\n');
  });

  it('csvRow(numbers) writes the shortest round-trip form', () => {
    expect(csvRow([1, 0.1, -2.5, 1 / 3, 123456789012])).toBe(
      '1,0.1,-2.5,0.3333333333333333,123456789012\n',
    );
  });

  it('csvRow(extreme numbers) keeps String exponent form', () => {
    expect(csvRow([1e21, 1e-7, Number.MAX_VALUE])).toBe('1e+21,1e-7,1.7976931348623157e+308\n');
  });

  it('csvRow(-0) writes 0', () => {
    expect(csvRow([-0])).toBe('0\n');
  });

  it('csvRow(NaN) throws naming the column from the column list', () => {
    expect(() => csvRow([1, NaN], {}, ['epoch', 'hashrate'])).toThrow(
      new Error('csvRow: column "hashrate" (index 1) is NaN, expected a finite number'),
    );
  });

  it('csvRow(Infinity) without a column list names the column index', () => {
    expect(() => csvRow([Infinity])).toThrow(
      new Error('csvRow: column 0 is Infinity, expected a finite number'),
    );
  });

  it('csvRow(-Infinity) throws', () => {
    expect(() => csvRow([-Infinity], { excel: true })).toThrow('is -Infinity');
  });

  it('csvRow(an object smuggled in) throws a TypeError naming the column', () => {
    const cells = [{}] as unknown as string[];
    expect(() => csvRow(cells, {}, ['x'])).toThrow(
      new TypeError(
        'csvRow: column "x" (index 0) is of type object, expected string, number, boolean, null or undefined',
      ),
    );
  });

  it('csvRow([]) is an empty line', () => {
    expect(csvRow([])).toBe('\n');
  });

  it('csvRow in excel mode ends with CRLF', () => {
    expect(csvRow(['a', 1], { excel: true })).toBe('a,1\r\n');
  });

  it('csvRow in excel mode prefixes formula-like text with an apostrophe', () => {
    expect(csvRow(['=SUM(A1)', '+1', '-x', '@cmd'], { excel: true })).toBe(
      "'=SUM(A1),'+1,'-x,'@cmd\r\n",
    );
  });

  it('csvRow in excel mode prefixes text starting with TAB or CR (OWASP)', () => {
    expect(csvRow(['\tx', '\rx'], { excel: true })).toBe('\'\tx,"\'\rx"\r\n');
  });

  it('csvRow in excel mode quotes a prefixed cell that needs quoting', () => {
    expect(csvRow(['=a,"b"'], { excel: true })).toBe('"\'=a,""b"""\r\n');
  });

  it('csvRow in excel mode never alters numbers', () => {
    expect(csvRow([-1, -0.5, 0], { excel: true })).toBe('-1,-0.5,0\r\n');
  });

  it('csvRow in excel mode leaves text with an inner = untouched', () => {
    expect(csvRow(['a=b'], { excel: true })).toBe('a=b\r\n');
  });

  it('csvRow outside excel mode leaves formula-like text untouched', () => {
    expect(csvRow(['=SUM(A1)', '-x'])).toBe('=SUM(A1),-x\n');
  });
});

describe('csvLineEnding', () => {
  it('csvLineEnding() is \\n', () => {
    expect(csvLineEnding()).toBe('\n');
  });

  it('csvLineEnding({ excel: true }) is \\r\\n', () => {
    expect(csvLineEnding({ excel: true })).toBe('\r\n');
  });
});

describe('csvTable', () => {
  it('csvTable(header, rows) is the header row then each row', () => {
    expect(
      csvTable(
        ['a', 'b'],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toBe('a,b\n1,2\n3,4\n');
  });

  it('csvTable(header, []) is the header row alone', () => {
    expect(csvTable(['a', 'b'], [])).toBe('a,b\n');
  });

  it('csvTable in excel mode starts with a UTF-8 BOM and uses CRLF', () => {
    expect(csvTable(['a'], [[1]], { excel: true })).toBe('\uFEFFa\r\n1\r\n');
  });

  it('csvTable outside excel mode has no BOM', () => {
    expect(csvTable(['a'], [[1]]).charCodeAt(0)).toBe('a'.charCodeAt(0));
  });

  it('csvTable with a row of the wrong width throws naming the header', () => {
    expect(() => csvTable(['a', 'b'], [[1]])).toThrow(
      new Error('CsvWriter: row has 1 cells, expected 2 (a, b)'),
    );
  });

  it('csvTable names the header column of a NaN cell', () => {
    expect(() => csvTable(['epoch', 'share'], [[0, NaN]])).toThrow(
      'csvRow: column "share" (index 1) is NaN, expected a finite number',
    );
  });

  it('csvTable of tricky strings round-trips through csv-parse', () => {
    const tricky = [
      'plain',
      'comma, inside',
      'quote " inside',
      '""',
      '"leading quote',
      'line\nbreak',
      'crlf\r\ninside',
      'lone\rcr',
      ' spaced ',
      'unicode: 北京 – Ωμέγα – 🚀',
      'é\u0301 combining',
      '',
    ];
    const text = csvTable(
      tricky.map((_, i) => `c${i}`),
      [tricky],
    );
    expect(parseCsv(text)).toEqual([tricky.map((_, i) => `c${i}`), tricky]);
  });

  it('csvTable of booleans, empties and numbers round-trips to their written forms', () => {
    const text = csvTable(['b', 'n', 'u', 'x', 'z'], [[true, null, undefined, 0.1, -0]]);
    expect(parseCsv(text)).toEqual([
      ['b', 'n', 'u', 'x', 'z'],
      ['TRUE', '', '', '0.1', '0'],
    ]);
  });

  it('csvTable numbers parse back to the identical doubles', () => {
    const numbers = [0.1 + 0.2, 1 / 3, Math.PI, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2];
    const text = csvTable(
      numbers.map((_, i) => `x${i}`),
      [numbers],
    );
    expect(parseCsv(text)[1].map(Number)).toEqual(numbers);
  });

  it('csvTable in excel mode round-trips through csv-parse with BOM and CRLF', () => {
    const rows = [
      ['=1+1', 'a,b', -3],
      ['line\r\nbreak', '北京', true],
    ];
    const text = csvTable(['f', 'g', 'h'], rows, { excel: true });
    expect(parseCsv(text)).toEqual([
      ['f', 'g', 'h'],
      ["'=1+1", 'a,b', '-3'],
      ['line\r\nbreak', '北京', 'TRUE'],
    ]);
  });
});

describe('CsvWriter', () => {
  it('CsvWriter.start() is the header row', () => {
    expect(new CsvWriter(['a', 'b,c']).start()).toBe('a,"b,c"\n');
  });

  it('CsvWriter.start() in excel mode begins with the BOM', () => {
    expect(new CsvWriter(['a'], { excel: true }).start()).toBe('\uFEFFa\r\n');
  });

  it('CsvWriter.row(cells) formats one terminated row', () => {
    expect(new CsvWriter(['a', 'b']).row([1, 'x'])).toBe('1,x\n');
  });

  it('CsvWriter.row(cells) rejects a row wider than the header', () => {
    expect(() => new CsvWriter(['a']).row([1, 2])).toThrow(
      new Error('CsvWriter: row has 2 cells, expected 1 (a)'),
    );
  });

  it('CsvWriter copies its header so later edits do not change it', () => {
    const header = ['a'];
    const writer = new CsvWriter(header);
    header.push('b');
    expect(writer.start()).toBe('a\n');
  });
});
