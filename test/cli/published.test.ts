// A published run in results/published/ is reproduced bit for bit: its manifest re-runs to outputs
// with the very SHA-256 it records, and the committed files still carry those hashes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
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

  it(`reproduces results/published/${RUN} byte for byte`, () => {
    const manifest = join(PUBLISHED, RUN, 'manifest.json');
    const outputs = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).outputs);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'reproduce', manifest, '--progress', 'none'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(r.stdout).toMatch(new RegExp(`^reproduced: ${outputs.length} of ${outputs.length} outputs match the manifest, byte for byte`, 'm'));
    for (const f of outputs) expect(r.stdout).toMatch(new RegExp(`^${f.replace('.', '\\.')}\\s+identical$`, 'm'));
    expect(r.status).toBe(0);
  }, 300_000);
});
