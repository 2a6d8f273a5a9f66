// Temporary folders for a test file, removed after its tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Returns a maker of fresh temporary folders (named `prefix…`), all removed after the file's tests. */
export function tempDirs(prefix: string): (prefix?: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return (p = prefix) => {
    const dir = mkdtempSync(join(os.tmpdir(), p));
    made.push(dir);
    return dir;
  };
}
