// readResults on small hand-written output folders: the numbers it returns are the file's, and
// every kind of bad input is a one-line UserError naming the file, the field and the value.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/config/errors.ts';
import { readResults, seriesOf } from '../../src/report/results.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-report-results-');

const MANIFEST = {
  name: 'hand',
  question: 'What if?',
  description: 'A hand-written output folder.',
  configSha256: 'ab'.repeat(32),
  replicates: 5,
  seedScheme: { scheme: 'hashmigrate/v1', rootSeed: 7 },
  sweep: null,
  software: { version: '0.1.0', gitCommit: 'deadbeef' },
  config: { model: { regions: [{ id: 'us', name: 'United States' }] } },
};
const HEADER = 'metric,region,epoch,date,mean,sd,min,p05,p25,p50,p75,p95,max';
const ROWS = [
  'hhi_region,network,0,2026-03-21,1000,0,1000,1000,1000,1000,1000,1000,1000',
  'hhi_region,network,1,2026-04-04,1500,10,1400,1410,1450,1500,1550,1590,1600',
  'share,us,0,2026-03-21,0.4,0,0.4,0.4,0.4,0.4,0.4,0.4,0.4',
  'share,us,1,2026-04-04,0.5,0.1,0.3,0.31,0.4,0.5,0.6,0.69,0.7',
];

function folder(files: { manifest?: unknown; epochs?: string }): string {
  const dir = join(tmp(), 'out');
  mkdirSync(dir);
  if (files.manifest !== undefined) writeFileSync(join(dir, 'manifest.json'), typeof files.manifest === 'string' ? files.manifest : JSON.stringify(files.manifest));
  if (files.epochs !== undefined) writeFileSync(join(dir, 'epochs.csv'), files.epochs);
  return dir;
}

describe('readResults(dir)', () => {
  it('refuses a huge file that is not CSV (one endless field) with a UserError, not a crash', () => {
    const dir = folder({ manifest: MANIFEST, epochs: '' });
    truncateSync(join(dir, 'epochs.csv'), 0x1fffffe8 + 1); // sparse: takes no disk space
    expect(() => readResults(dir)).toThrow(UserError);
    expect(() => readResults(dir)).toThrow(/epochs\.csv: line 1: a field longer than 1048576 characters; expected a CSV output of hashmigrate/);
  });

  it('reads epochs.csv row by row: CRLF, a BOM and quoted cells, across chunks of the file, as one text would', () => {
    // 30,000 rows (about 2.5 MB) so that rows, quotes and line ends cross the 1 MiB chunks
    const rows: string[] = [];
    for (let e = 0; e < 15_000; e++) {
      const date = new Date(Date.UTC(2026, 2, 21) + e * 86_400_000).toISOString().slice(0, 10);
      rows.push(`hhi_region,"network",${e},${date},1500,10,1400,1410,1450,1500,1550,1590,1600`);
      rows.push(`"share",us,${e},${date},0.5,0.1,0.3,0.31,0.4,0.5,0.6,0.69,0.7`);
    }
    const dir = folder({ manifest: MANIFEST, epochs: '\uFEFF' + [HEADER, ...rows].join('\r\n') + '\r\n' });
    const r = readResults(dir);
    expect(r.lastEpoch).toBe(14_999);
    expect(seriesOf(r, 'hhi_region')).toHaveLength(15_000);
    expect(seriesOf(r, 'share', 'us').map((d) => d.epoch)).toEqual(Array.from({ length: 15_000 }, (_, e) => e));
    expect(r.regions).toEqual([{ id: 'us', name: 'United States' }]);
  });

  it('returns the series, regions and final epoch of epochs.csv', () => {
    const dir = folder({ manifest: MANIFEST, epochs: [HEADER, ...ROWS].join('\n') + '\n' });
    const r = readResults(dir);
    expect(r.lastEpoch).toBe(1);
    expect(r.regions).toEqual([{ id: 'us', name: 'United States' }]);
    expect(seriesOf(r, 'hhi_region').map((d) => d.p95)).toEqual([1000, 1590]);
    expect(seriesOf(r, 'share', 'us')[1].date.toISOString()).toBe('2026-04-04T00:00:00.000Z');
    expect(r.finals.get(0)!.get('share|us')!.p05).toBe(0.31);
    expect(r.point).toBeNull();
  });

  it('rejects a missing folder', () => {
    expect(() => readResults(join(tmp(), 'nope'))).toThrow(/nope: no such folder; expected the output folder of `hashmigrate run`/);
  });

  it('rejects a missing manifest.json or epochs.csv', () => {
    expect(() => readResults(folder({ epochs: HEADER }))).toThrow(/manifest\.json: missing; expected the output of `hashmigrate run`/);
    expect(() => readResults(folder({ manifest: MANIFEST }))).toThrow(/epochs\.csv: missing; expected/);
  });

  it('rejects a corrupt manifest, naming the field and value', () => {
    expect(() => readResults(folder({ manifest: '{"name": ', epochs: HEADER }))).toThrow(/manifest\.json: not valid JSON/);
    expect(() => readResults(folder({ manifest: { ...MANIFEST, replicates: 'many' }, epochs: HEADER }))).toThrow(/manifest\.json: replicates: "many"; expected number/);
    expect(() => readResults(folder({ manifest: { ...MANIFEST, question: undefined }, epochs: HEADER }))).toThrow(/manifest\.json: question: missing; expected string/);
  });

  it('rejects epochs.csv with a missing column, no rows, or a value that is not a number', () => {
    const err = (epochs: string) => {
      try {
        readResults(folder({ manifest: MANIFEST, epochs }));
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected a UserError');
    };
    expect(err('metric,region,epoch\n')).toMatch(/epochs\.csv: header: column "date" missing; expected metric,region,epoch,date,mean/);
    expect(err(`${HEADER}\n`)).toMatch(/epochs\.csv: no data rows/);
    expect(err(`${HEADER}\n${ROWS[0].replace(',1000,0,', ',NaN,0,')}\n`)).toMatch(/epochs\.csv: line 2: mean: "NaN" is not a finite number/);
    expect(err(`${HEADER}\n${ROWS[0].replace('2026-03-21', '21/03/2026')}\n`)).toMatch(/epochs\.csv: line 2: date: "21\/03\/2026" is not a date; expected YYYY-MM-DD/);
  });

  it('rejects a sweep point the run does not have', () => {
    const dir = folder({ manifest: MANIFEST, epochs: [HEADER, ...ROWS].join('\n') });
    expect(() => readResults(dir, { point: 2 })).toThrow(/--point: 2 is not a sweep point; expected one of 0 \(the run has no sweep\)/);
  });
});
