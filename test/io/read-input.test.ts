import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { readInputText } from '../../src/io/read-input.ts';
import { UserError } from '../../src/config/errors.ts';
import { readJsonFile } from '../../src/config/load.ts';

const tmp = tempDirs('hm-read-input-');

describe('readInputText(file, limit)', () => {
  it('reads a regular file', () => {
    const file = join(tmp(), 'a.json');
    writeFileSync(file, '{"é": 1}');
    expect(readInputText(file)).toBe('{"é": 1}');
  });

  it('refuses a file above the limit, naming its size', () => {
    const file = join(tmp(), 'big.csv');
    writeFileSync(file, 'x'.repeat(101));
    expect(() => readInputText(file, 100)).toThrow(UserError);
    expect(() => readInputText(file, 100)).toThrow(/big\.csv: 101 bytes is too large \(expected an input file of at most 100 bytes\)/);
    expect(readInputText(file, 101)).toHaveLength(101);
  });

  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero instead of reading it until memory runs out', () => {
    expect(() => readInputText('/dev/zero')).toThrow(/\/dev\/zero: not a regular file/);
    expect(() => readJsonFile('/dev/zero')).toThrow(UserError);
  });

  it('refuses a folder, and lets a missing file through as the fs error for the caller to word', () => {
    expect(() => readInputText(tmp())).toThrow(/not a regular file/);
    expect(() => readInputText(join(tmp(), 'none'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => readJsonFile(join(tmp(), 'none'))).toThrow(/cannot read the file \(no such file\)/);
  });
});
