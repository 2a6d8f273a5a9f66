// `npm run bench` says what it is timing before it starts timing it: its first line of output names
// the first measurement (it used to print nothing for minutes).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';

/** The first line the benchmark prints (stdout or stderr), then it is stopped. */
function firstLine(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no line within 60 s (got ${JSON.stringify(text)})`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(text.slice(0, nl));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
  });
}

describe('npm run bench', () => {
  it('names what it times first, before any figure', async () => {
    expect(await firstLine(['--quick'])).toMatch(/^timing 2 baseline replicates on 1 thread, after 3 warm-up replicates \.\.\.$/);
  }, 70_000);

  it('says it with --json too, on stderr, keeping stdout for the one JSON line', async () => {
    expect(await firstLine(['--quick', '--json'])).toMatch(/^timing /);
  }, 70_000);
});
