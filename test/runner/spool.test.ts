// The spool on its own (no workers): what a resume keeps of a damaged spool, what it refuses, and a
// short write failing rather than marking a unit done.
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { Spool, SPOOL_FORMAT, type SpoolLayout } from '../../src/runner/spool.ts';
import type { UnitResult } from '../../src/runner/record.ts';
import { UserError } from '../../src/config/errors.ts';
import { IoError } from '../../src/io/io-error.ts';
import { fsCalls } from '../../src/io/write-fully.ts';

const tmp = tempDirs('hm-spool-');
const realWriteSync = fsCalls.writeSync;
afterEach(() => {
  fsCalls.writeSync = realWriteSync;
});

const LAYOUT: SpoolLayout = { format: SPOOL_FORMAT, configSha256: 'a'.repeat(64), seed: 7, replicates: 4, units: 4, recordDoubles: 3, summaryLength: 2 };
const BYTES = LAYOUT.recordDoubles * 8;

function unit(u: number): UnitResult {
  return { unit: u, seedDigest: String(u).repeat(64).slice(0, 64), record: Float64Array.from([u + 0.5, u * 10, -u]), summary: [u, u / 3] };
}

/** A spool folder holding all four units, closed. */
function fullSpool(): string {
  const dir = join(tmp(), '.partial');
  const s = Spool.open(dir, LAYOUT, true);
  s.write([unit(2), unit(0)]);
  s.write([unit(1), unit(3)]);
  s.close();
  return dir;
}

function reopen(dir: string, layout = LAYOUT): Spool {
  const s = Spool.open(dir, layout, false);
  s.close();
  return s;
}

const doneLines = (dir: string): string[] => readFileSync(join(dir, 'done.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('Spool: resume keeps only units that pass their checks', () => {
  it('keeps every intact unit and reads its record back', () => {
    const dir = fullSpool();
    const s = Spool.open(dir, LAYOUT, false);
    expect([...s.entries.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(s.dropped).toEqual([]);
    expect(s.entries.get(1)).toEqual({ unit: 1, seedDigest: unit(1).seedDigest, summary: [1, 1 / 3] });
    const into = new Float64Array(3);
    s.read(3, 0, 3, into, 0);
    expect([...into]).toEqual([3.5, 30, -3]);
    s.close();
  });

  it('drops the units of a values.f64 cut short, including the one cut in half', () => {
    const dir = fullSpool();
    truncateSync(join(dir, 'values.f64'), Math.floor(2.5 * BYTES));
    const s = reopen(dir);
    expect([...s.entries.keys()].sort()).toEqual([0, 1]);
    expect(s.dropped).toEqual([2, 3]);
    // the log now holds only the kept units
    expect(doneLines(dir).map((l) => JSON.parse(l).u).sort()).toEqual([0, 1]);
  });

  it('drops every unit when values.f64 is gone', () => {
    const dir = fullSpool();
    rmSync(join(dir, 'values.f64'));
    const s = reopen(dir);
    expect(s.entries.size).toBe(0);
    expect(s.dropped).toEqual([0, 1, 2, 3]);
  });

  it('drops a unit whose record was overwritten', () => {
    const dir = fullSpool();
    const bytes = readFileSync(join(dir, 'values.f64'));
    bytes[1 * BYTES + 3] ^= 0xff;
    writeFileSync(join(dir, 'values.f64'), bytes);
    expect(reopen(dir).dropped).toEqual([1]);
  });

  it('drops a unit whose summary was edited in done.jsonl', () => {
    const dir = fullSpool();
    const lines = doneLines(dir);
    const k = lines.findIndex((l) => JSON.parse(l).u === 3);
    const edited = JSON.parse(lines[k]);
    edited.s[0] = 99;
    lines[k] = JSON.stringify(edited);
    writeFileSync(join(dir, 'done.jsonl'), lines.join('\n') + '\n');
    const s = reopen(dir);
    expect(s.dropped).toEqual([3]);
    expect(s.entries.has(3)).toBe(false);
  });

  it('drops a unit whose line was cut down to {"u":N} or torn', () => {
    const dir = fullSpool();
    const lines = doneLines(dir).map((l) => (JSON.parse(l).u === 0 ? '{"u":0}' : JSON.parse(l).u === 2 ? l.slice(0, 40) : l));
    writeFileSync(join(dir, 'done.jsonl'), lines.join('\n') + '\n');
    const s = reopen(dir);
    expect([...s.entries.keys()].sort()).toEqual([1, 3]);
    expect(s.dropped).toEqual([0, 2]);
  });

  it('ignores a line for a unit outside the batch', () => {
    const dir = fullSpool();
    const small = { ...LAYOUT, units: 2 };
    writeFileSync(join(dir, 'layout.json'), JSON.stringify(small) + '\n');
    const s = reopen(dir, small);
    expect([...s.entries.keys()].sort()).toEqual([0, 1]);
  });
});

describe('Spool: resume refuses what it cannot tell apart', () => {
  it('refuses another seed, naming both', () => {
    const dir = fullSpool();
    expect(() => reopen(dir, { ...LAYOUT, seed: 8 })).toThrow(UserError);
    expect(() => reopen(dir, { ...LAYOUT, seed: 8 })).toThrow(/used seed 7, not 8 \(resume with --seed 7\).*--force/);
  });

  it('refuses another configuration or replicate count', () => {
    const dir = fullSpool();
    expect(() => reopen(dir, { ...LAYOUT, configSha256: 'b'.repeat(64) })).toThrow(/another configuration/);
    expect(() => reopen(dir, { ...LAYOUT, replicates: 5 })).toThrow(/4 replicates, not 5/);
  });

  it('refuses data without its layout.json, or with a corrupt one', () => {
    const dir = fullSpool();
    writeFileSync(join(dir, 'layout.json'), '{"format":2,"seed":');
    expect(() => reopen(dir)).toThrow(/layout\.json: not a valid spool layout.*--force/);
    rmSync(join(dir, 'layout.json'));
    expect(() => reopen(dir)).toThrow(/layout\.json: missing \(cannot tell which configuration and seed/);
    // refusing leaves the data alone
    expect(doneLines(dir)).toHaveLength(4);
  });

  it('rebuilds a missing layout when there is no data to mix', () => {
    const dir = join(tmp(), '.partial');
    Spool.open(dir, LAYOUT, true).close();
    rmSync(join(dir, 'layout.json'));
    const s = reopen(dir, { ...LAYOUT, seed: 9 });
    expect(s.entries.size).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'layout.json'), 'utf8')).seed).toBe(9);
  });

  it('a fresh spool replaces whatever was there', () => {
    const dir = fullSpool();
    const s = Spool.open(dir, { ...LAYOUT, seed: 8 }, true);
    s.close();
    expect(s.entries.size).toBe(0);
    expect(readFileSync(join(dir, 'done.jsonl'), 'utf8')).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'layout.json'), 'utf8')).seed).toBe(8);
  });
});

describe('Spool: writes check what was written', () => {
  it('fails on a short record write, and the unit is not done', () => {
    const dir = join(tmp(), '.partial');
    const s = Spool.open(dir, LAYOUT, true);
    s.write([unit(0)]);
    fsCalls.writeSync = (fd, buffer, offset, length, position) => realWriteSync(fd, buffer, offset, Math.floor(length / 2), position);
    expect(() => s.write([unit(1)])).toThrow(IoError);
    expect(() => s.write([unit(1)])).toThrow(/cannot write .*values\.f64: only 12 of 24 bytes were written \(no space left on device\?\)/);
    expect(s.entries.has(1)).toBe(false);
    s.close();
    fsCalls.writeSync = realWriteSync;
    expect([...reopen(dir).entries.keys()]).toEqual([0]);
  });

  it('fails on a short log write, and the torn line is dropped on resume', () => {
    const dir = join(tmp(), '.partial');
    const s = Spool.open(dir, LAYOUT, true);
    s.write([unit(0)]);
    fsCalls.writeSync = (fd, buffer, offset, length, position) =>
      position === null ? realWriteSync(fd, buffer, offset, length - 5, position) : realWriteSync(fd, buffer, offset, length, position);
    expect(() => s.write([unit(1), unit(2)])).toThrow(/cannot write .*done\.jsonl: only \d+ of \d+ bytes/);
    s.close();
    fsCalls.writeSync = realWriteSync;
    const again = reopen(dir);
    // unit 1's line is whole, unit 2's is torn
    expect([...again.entries.keys()].sort()).toEqual([0, 1]);
  });

  it('turns a failing write into a one-line I/O error naming the file', () => {
    const dir = join(tmp(), '.partial');
    const s = Spool.open(dir, LAYOUT, true);
    fsCalls.writeSync = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    expect(() => s.write([unit(0)])).toThrow(new RegExp(`^cannot write ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/values\\.f64: no space left on device$`));
    s.close();
  });
});
