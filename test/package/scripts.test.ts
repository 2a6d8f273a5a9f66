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

  it('README and the command help put the baseline in results/<name>, the folder npm start and a plain run write', () => {
    const name = JSON.parse(readFileSync('configs/baseline.json', 'utf8')).name as string;
    for (const file of ['README.md', 'results/README.md', 'src/cli/main.ts']) {
      const folders = readFileSync(file, 'utf8').match(/results\/baseline[A-Za-z0-9._-]*/g) ?? [];
      expect(folders.filter((f) => f !== `results/${name}`), file).toEqual([]);
    }
  });
});
