import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm scripts', () => {
  it('npm start writes the baseline where a plain run of it does (results/<name>)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const name = JSON.parse(readFileSync('configs/baseline.json', 'utf8')).name as string;
    const start = pkg.scripts.start;
    expect(start).toMatch(/ run configs\/baseline\.json\b/);
    const out = / --out (\S+)/.exec(start)?.[1];
    expect(out ?? `results/${name}`).toBe(`results/${name}`);
  });
});
