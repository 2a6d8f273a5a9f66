import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AtomicFileStream,
  openAtomicStream,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../src/io/atomic.ts';

let directory: string;

beforeEach(() => {
  directory = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'atomic-test-'));
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

function target(name = 'out.csv'): string {
  return nodePath.join(directory, name);
}

function entries(): string[] {
  return fs.readdirSync(directory).sort();
}

/** A directory with a file in it: renaming a file over it fails (EISDIR / ENOTEMPTY / EPERM). */
function occupyWithDirectory(path: string): void {
  fs.mkdirSync(path);
  fs.writeFileSync(nodePath.join(path, 'keep'), 'x');
}

describe('writeFileAtomic', () => {
  it('writeFileAtomic(path, string) writes the string as UTF-8', async () => {
    await writeFileAtomic(target(), 'a,b\n北京,🚀\n');
    expect(fs.readFileSync(target(), 'utf8')).toBe('a,b\n北京,🚀\n');
  });

  it('writeFileAtomic(path, bytes) writes the bytes unchanged', async () => {
    await writeFileAtomic(target(), new Uint8Array([0, 255, 10, 13]));
    expect([...fs.readFileSync(target())]).toEqual([0, 255, 10, 13]);
  });

  it('writeFileAtomic(path, "") creates an empty file', async () => {
    await writeFileAtomic(target(), '');
    expect(fs.readFileSync(target(), 'utf8')).toBe('');
  });

  it('writeFileAtomic replaces an existing target', async () => {
    fs.writeFileSync(target(), 'old content that is longer');
    await writeFileAtomic(target(), 'new');
    expect(fs.readFileSync(target(), 'utf8')).toBe('new');
  });

  it('writeFileAtomic leaves no temporary file after success', async () => {
    await writeFileAtomic(target(), 'x');
    expect(entries()).toEqual(['out.csv']);
  });

  it('writeFileAtomic removes its temporary file when the rename fails', async () => {
    occupyWithDirectory(target());
    await expect(writeFileAtomic(target(), 'x')).rejects.toThrow();
    expect(entries()).toEqual(['out.csv']);
  });

  it('writeFileAtomic into a missing directory rejects with ENOENT', async () => {
    await expect(writeFileAtomic(nodePath.join(directory, 'no', 'f'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('writeFileAtomic calls racing on one target each land whole, last rename wins', async () => {
    const contents = ['first', 'second', 'third'].map((word) => word.repeat(1000));
    await Promise.all(contents.map((content) => writeFileAtomic(target(), content)));
    expect(contents).toContain(fs.readFileSync(target(), 'utf8'));
    expect(entries()).toEqual(['out.csv']);
  });
});

describe('writeFileAtomicSync', () => {
  it('writeFileAtomicSync(path, string) writes the string as UTF-8', () => {
    writeFileAtomicSync(target(), 'Ωμέγα\n');
    expect(fs.readFileSync(target(), 'utf8')).toBe('Ωμέγα\n');
  });

  it('writeFileAtomicSync(path, bytes) writes the bytes unchanged', () => {
    writeFileAtomicSync(target(), new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(target())]).toEqual([1, 2, 3]);
  });

  it('writeFileAtomicSync replaces an existing target', () => {
    fs.writeFileSync(target(), 'old');
    writeFileAtomicSync(target(), 'new');
    expect(fs.readFileSync(target(), 'utf8')).toBe('new');
  });

  it('writeFileAtomicSync leaves no temporary file after success', () => {
    writeFileAtomicSync(target(), 'x');
    expect(entries()).toEqual(['out.csv']);
  });

  it('writeFileAtomicSync removes its temporary file when the rename fails', () => {
    occupyWithDirectory(target());
    expect(() => writeFileAtomicSync(target(), 'x')).toThrow();
    expect(entries()).toEqual(['out.csv']);
  });
});

describe('AtomicFileStream', () => {
  it('AtomicFileStream writes its chunks in order at commit', async () => {
    const out = await openAtomicStream(target());
    await out.write('a,b\n');
    await out.write('1,2\n');
    await out.commit();
    expect(fs.readFileSync(target(), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('AtomicFileStream writes bytes, copied at write time so the caller may reuse its buffer', async () => {
    const out = await openAtomicStream(target('out.bin'));
    const buf = new Float64Array(1);
    const bytes = new Uint8Array(buf.buffer);
    const expected: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      buf[0] = i + 0.5;
      expected.push(i + 0.5);
      await out.write(bytes);
    }
    await out.write('end');
    await out.commit();
    const file = fs.readFileSync(target('out.bin'));
    expect(file.length).toBe(50_000 * 8 + 3);
    expect(Array.from(new Float64Array(file.buffer.slice(file.byteOffset, file.byteOffset + 50_000 * 8)))).toEqual(expected);
    expect(file.subarray(50_000 * 8).toString('utf8')).toBe('end');
  });

  it('AtomicFileStream keeps order for writes that are not awaited', async () => {
    const out = await AtomicFileStream.open(target());
    const writes = Array.from({ length: 100 }, (_, i) => out.write(`${i}\n`));
    await Promise.all(writes);
    await out.commit();
    const expected = Array.from({ length: 100 }, (_, i) => `${i}\n`).join('');
    expect(fs.readFileSync(target(), 'utf8')).toBe(expected);
  });

  it('AtomicFileStream writes several MiB through its flushes intact', async () => {
    // multi-byte characters make byte and char counts differ across flush boundaries
    const row = 'épsilon,北京,🚀,0.123456789\n';
    const rowCount = 200_000;
    const out = await openAtomicStream(target());
    for (let i = 0; i < rowCount; i++) await out.write(row);
    await out.commit();
    expect(fs.readFileSync(target(), 'utf8')).toBe(row.repeat(rowCount));
  });

  it('AtomicFileStream commit of no writes creates an empty file', async () => {
    const out = await openAtomicStream(target());
    await out.commit();
    expect(fs.readFileSync(target(), 'utf8')).toBe('');
  });

  it('AtomicFileStream puts its temporary file beside the target, named after it', async () => {
    const out = await openAtomicStream(target());
    expect(nodePath.dirname(out.tempPath)).toBe(directory);
    expect(nodePath.basename(out.tempPath)).toMatch(
      new RegExp(`^\\.out\\.csv\\.${process.pid}\\.[0-9a-z]+-[0-9a-z]+\\.tmp$`),
    );
    await out.abort();
  });

  it('AtomicFileStream temporary names differ between opens of one target', async () => {
    const first = await openAtomicStream(target());
    const second = await openAtomicStream(target());
    expect(first.tempPath).not.toBe(second.tempPath);
    await Promise.all([first.abort(), second.abort()]);
  });

  it('AtomicFileStream creates no target before commit', async () => {
    const out = await openAtomicStream(target());
    await out.write('data\n');
    expect(fs.existsSync(target())).toBe(false);
    await out.abort();
  });

  it('AtomicFileStream leaves an existing target unchanged until commit', async () => {
    fs.writeFileSync(target(), 'old\n');
    const out = await openAtomicStream(target());
    await out.write('x'.repeat(3 << 20));
    expect(fs.readFileSync(target(), 'utf8')).toBe('old\n');
    await out.commit();
    expect(fs.readFileSync(target(), 'utf8')).toBe('x'.repeat(3 << 20));
  });

  it('AtomicFileStream leaves no temporary file after commit', async () => {
    const out = await openAtomicStream(target());
    await out.write('x');
    await out.commit();
    expect(entries()).toEqual(['out.csv']);
  });

  it('AtomicFileStream after abort has no target and no temporary file', async () => {
    const out = await openAtomicStream(target());
    await out.write('x'.repeat(2 << 20));
    await out.abort();
    expect(entries()).toEqual([]);
  });

  it('AtomicFileStream abort keeps an existing target as it was', async () => {
    fs.writeFileSync(target(), 'old\n');
    const out = await openAtomicStream(target());
    await out.write('new\n');
    await out.abort();
    expect(fs.readFileSync(target(), 'utf8')).toBe('old\n');
  });

  it('AtomicFileStream abort after commit is a no-op', async () => {
    const out = await openAtomicStream(target());
    await out.write('kept');
    await out.commit();
    await out.abort();
    expect(fs.readFileSync(target(), 'utf8')).toBe('kept');
  });

  it('AtomicFileStream abort twice is a no-op', async () => {
    const out = await openAtomicStream(target());
    await out.abort();
    await out.abort();
    expect(entries()).toEqual([]);
  });

  it('AtomicFileStream rejects a write after commit', async () => {
    const out = await openAtomicStream(target());
    await out.commit();
    await expect(out.write('late')).rejects.toThrow('AtomicFileStream: write after committed');
  });

  it('AtomicFileStream rejects a write made while commit is still pending', async () => {
    const out = await openAtomicStream(target());
    const committing = out.commit();
    await expect(out.write('late')).rejects.toThrow(
      'AtomicFileStream: write after commit was called',
    );
    await committing;
    expect(fs.readFileSync(target(), 'utf8')).toBe('');
  });

  it('AtomicFileStream rejects a second commit', async () => {
    const out = await openAtomicStream(target());
    await out.commit();
    await expect(out.commit()).rejects.toThrow('AtomicFileStream: commit after committed');
  });

  it('AtomicFileStream rejects commit after abort and creates no target', async () => {
    const out = await openAtomicStream(target());
    await out.abort();
    await expect(out.commit()).rejects.toThrow('AtomicFileStream: commit after aborted');
    expect(entries()).toEqual([]);
  });

  it('AtomicFileStream removes its temporary file when the commit rename fails', async () => {
    occupyWithDirectory(target());
    const out = await openAtomicStream(target());
    await out.write('x');
    await expect(out.commit()).rejects.toThrow();
    expect(entries()).toEqual(['out.csv']);
  });

  it('AtomicFileStream after a failed commit rejects further writes with that error', async () => {
    occupyWithDirectory(target());
    const out = await openAtomicStream(target());
    const failure = await out.commit().catch((error: unknown) => error);
    await expect(out.write('x')).rejects.toBe(failure);
  });

  it('openAtomicStream into a missing directory rejects with ENOENT', async () => {
    await expect(openAtomicStream(nodePath.join(directory, 'no', 'f'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
