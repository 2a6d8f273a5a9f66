// Command-line values beyond what an experiment file may hold are refused like the file's own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRunner, ROOT } from '../support/cli.ts';

const cli = cliRunner(60_000);
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');

describe('command-line limits', () => {
  it('refuses --replicates above the limit of experiment files, with exit 2', () => {
    const r = cli('run', TINY, '--replicates', '10000001', '--progress', 'none', '--out', join(ROOT, 'results', 'never-written'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--replicates: "10000001" is not valid \(expected at most 10000000, as in experiment files\)/);
  });
});
