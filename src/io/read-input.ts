// Reading an input file (a config, a manifest, a data CSV) with a bound: a regular file of at most
// INPUT_LIMIT_BYTES. A device such as /dev/zero, a FIFO or a runaway file would otherwise be read
// until memory runs out.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../config/errors.ts';

/** Largest input file read: 64 MiB, some hundred times the largest shipped data file. */
export const INPUT_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The text of `file` (UTF-8). A UserError for something that is not a regular file or is larger
 * than `limitBytes`; the fs error as thrown for a file that cannot be opened (callers word it).
 */
export function readInputText(file: string, limitBytes = INPUT_LIMIT_BYTES): string {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UserError(`${file}: not a regular file (expected a JSON or CSV file; a folder, device or pipe is not read)`);
    if (stat.size > limitBytes) throw new UserError(`${file}: ${stat.size} bytes is too large (expected an input file of at most ${limitBytes} bytes)`);
    // read at most one byte past the limit, in case the file grows while it is read
    const buf = Buffer.alloc(Math.min(stat.size, limitBytes) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    if (got > limitBytes) throw new UserError(`${file}: more than ${limitBytes} bytes (expected an input file of at most ${limitBytes} bytes)`);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
