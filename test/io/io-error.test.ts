import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { IoError, ioError, shortWriteError, unwrappedIoError } from '../../src/io/io-error.ts';

const tmp = tempDirs('hm-ioerr-');
const errno = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(`${code}: raw message`), { code, ...extra });

describe('ioError(action, path, err)', () => {
  it('names the action, the file and the reason in plain words', () => {
    expect(ioError('write', 'out/epochs.csv', errno('ENOSPC')).message).toBe('cannot write out/epochs.csv: no space left on device');
    expect(ioError('write', 'out/epochs.csv', errno('EROFS')).message).toBe('cannot write out/epochs.csv: read-only file system');
    expect(ioError('create', 'out', errno('EACCES')).message).toBe('cannot create out: permission denied');
    expect(ioError('write', 'x', errno('ENOSPC')).code).toBe('ENOSPC');
  });

  it('passes an IoError through unchanged', () => {
    const inner = shortWriteError('a/b', 3, 8);
    expect(ioError('write', 'elsewhere', inner)).toBe(inner);
    expect(inner.message).toBe('cannot write a/b: only 3 of 8 bytes were written (no space left on device?)');
  });
});

describe('unwrappedIoError(err)', () => {
  it('turns a real fs failure into one line from its syscall and path', () => {
    const dir = tmp();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    let caught: unknown;
    try {
      mkdirSync(join(file, 'below'), { recursive: true });
    } catch (err) {
      caught = err;
    }
    const io = unwrappedIoError(caught);
    expect(io).toBeInstanceOf(IoError);
    expect(io!.message).toMatch(/^cannot create .*\/file(\/below)?: (a part of the path is a file, not a folder|something else already exists there)$/);
  });

  it('leaves errors that are not file-system failures alone', () => {
    expect(unwrappedIoError(new Error('boom'))).toBeUndefined();
    expect(unwrappedIoError(errno('ERR_SOMETHING'))).toBeUndefined();
  });
});
