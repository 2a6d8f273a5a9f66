// A published run in results/published/ is reproduced bit for bit: its manifest re-runs to outputs
// with the very SHA-256 it records, and the committed files still carry those hashes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRunner, ROOT } from '../support/cli.ts';

const PUBLISHED = join(ROOT, 'results', 'published');
const RUN = 'china-crackdown';

describe('published runs', () => {
  it('lists each published run in results/README.md with the command that made it', () => {
    const readme = readFileSync(join(ROOT, 'results', 'README.md'), 'utf8');
    for (const name of ['baseline-2026', 'china-crackdown', 'us-power-shock']) {
      const manifest = JSON.parse(readFileSync(join(PUBLISHED, name, 'manifest.json'), 'utf8'));
      expect(readme).toContain(`published/${name}/`);
      expect(readme).toContain(`--out results/published/${name}`);
      expect(manifest.software.gitDirty).toBe(false);
      for (const file of Object.keys(manifest.outputs)) expect(existsSync(join(PUBLISHED, name, file)), `${name}/${file}`).toBe(true);
    }
  });

  it('publishes the sensitivity run without its epochs.csv (2.0 GB), every other output carrying its manifest hash', () => {
    const dir = join(PUBLISHED, 'sensitivity-baseline');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const readme = readFileSync(join(ROOT, 'results', 'README.md'), 'utf8');
    expect(readme).toContain('--out results/published/sensitivity-baseline');
    expect(manifest.software.gitDirty).toBe(false);
    const files = Object.keys(manifest.outputs);
    expect(files).toEqual(expect.arrayContaining(['epochs.csv', 'sensitivity.csv', 'points.csv', 'replicates.csv']));
    for (const file of files) {
      if (file === 'epochs.csv') {
        expect(existsSync(join(dir, file))).toBe(false);
        continue;
      }
      const sha = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
      expect(sha, file).toBe(manifest.outputs[file]);
    }
  });

  it(`reproduces results/published/${RUN} byte for byte`, () => {
    const manifest = join(PUBLISHED, RUN, 'manifest.json');
    const outputs = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).outputs);
    const r = cliRunner(280_000)('reproduce', manifest, '--progress', 'none');
    expect(r.stdout).toMatch(new RegExp(`^reproduced: ${outputs.length} of ${outputs.length} outputs match the manifest, byte for byte`, 'm'));
    for (const f of outputs) expect(r.stdout).toMatch(new RegExp(`^${f.replace('.', '\\.')}\\s+identical$`, 'm'));
    expect(r.status).toBe(0);
  }, 300_000);
});
