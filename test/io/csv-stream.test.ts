// The streaming CSV reader gives the records parseCsv gives for the same text, wherever the text is
// cut into pieces (a quote, a doubled quote, a CR of a CRLF, a multi-byte character at the cut).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/io/csv-read.ts';
import { CsvRecordParser, forEachCsvRow } from '../../src/io/csv-stream.ts';
import { sha256 } from '../../src/io/manifest.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-csv-stream-');

const TEXT = '\uFEFFmetric,region,note\r\nshare,us,"a ""quoted"", cell"\r\nhhi,"",plain\nx,"multi\nline",é€😀\r\nlast,,""';

function records(pieces: string[]): string[][] {
  const out: string[][] = [];
  const parser = new CsvRecordParser((r) => out.push(r), 'test.csv');
  for (const p of pieces) parser.push(p);
  parser.end();
  return out;
}

describe('CsvRecordParser', () => {
  it('gives parseCsv\'s records for the text cut at every position, and in three pieces', () => {
    const { header, rows } = parseCsv(TEXT, 'test.csv');
    const expected = [header, ...rows];
    expect(records([TEXT])).toEqual(expected);
    for (let i = 0; i <= TEXT.length; i++) {
      expect(records([TEXT.slice(0, i), TEXT.slice(i)]), `cut at ${i}`).toEqual(expected);
      const j = Math.min(TEXT.length, i + 3);
      expect(records([TEXT.slice(0, i), TEXT.slice(i, j), TEXT.slice(j)]), `cut at ${i} and ${j}`).toEqual(expected);
    }
  });

  it('refuses an unterminated quote', () => {
    expect(() => records(['a,b\n1,"open'])).toThrow(/test\.csv: line 2: unterminated quoted field/);
  });
});

describe('forEachCsvRow', () => {
  it('reads a file of several chunks row by row, with its SHA-256, and checks row lengths', () => {
    const lines = ['k,v'];
    for (let i = 0; i < 200_000; i++) lines.push(`${i},"é${i}"`);
    const text = lines.join('\n') + '\n';
    const file = join(tmp(), 'big.csv');
    writeFileSync(file, text);
    let count = 0;
    let header: string[] = [];
    let wrong = 0;
    const result = forEachCsvRow(file, (h) => (header = h), (row, index) => {
      if (row.length !== 2 || row[0] !== String(index) || row[1] !== `é${index}`) wrong++;
      count++;
    });
    expect(wrong).toBe(0);
    expect(header).toEqual(['k', 'v']);
    expect(count).toBe(200_000);
    expect(result.rows).toBe(200_000);
    expect(result.sha256).toBe(sha256(text));

    const bad = join(tmp(), 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    expect(() => forEachCsvRow(bad, () => {}, () => {})).toThrow(/bad\.csv: line 3: 1 fields; expected 2 as in the header/);
  });
});
