// `hashmigrate reproduce`: a run re-made from its manifest matches byte for byte; an edited output,
// a tampered, truncated or incomplete manifest, and another Node major are each reported as such.
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { closeEnough, compareCsvWithin } from '../../src/cli/reproduce.ts';

const cli = cliRunner(120_000);
const tmp = tempDirs('hm-repro-');

/** A copy of the finished run with its manifest changed by `edit`. */
function variant(source: string, edit: (m: Record<string, any>) => void): string {
  const dir = join(tmp(), 'run');
  cpSync(source, dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  edit(m);
  writeFileSync(path, JSON.stringify(m, null, 2));
  return path;
}

describe('hashmigrate reproduce', () => {
  let run = '';
  beforeAll(() => {
    run = join(tmp(), 'tiny');
    const r = cli('run', 'test/fixtures/tiny.json', '--replicates', '6', '--workers', '2', '--progress', 'none', '--no-summary', '--no-report', '--out', run);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('re-runs a run from its manifest and finds every output identical (exit 0)', () => {
    const r = cli('reproduce', join(run, 'manifest.json'), '--workers', '1', '--progress', 'none');
    expect(r.status).toBe(0);
    const outputs = Object.keys(JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')).outputs);
    expect(outputs).toEqual(expect.arrayContaining(['epochs.csv', 'replicates.csv', 'datapackage.json']));
    for (const f of outputs) expect(r.stdout).toMatch(new RegExp(`^${f.replace('.', '\\.')}\\s+identical$`, 'm'));
    expect(r.stdout).toMatch(/^reproduced: 3 of 3 outputs match the manifest, byte for byte/m);
  }, 120_000);

  it('flags a published output edited after the run (exit 1)', () => {
    const manifest = variant(run, () => {});
    const csv = join(manifest, '..', 'replicates.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/\n(\d)/, '\n9$1'));
    const r = cli('reproduce', manifest, '--workers', '1', '--progress', 'none');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^replicates\.csv\s+identical; the published copy does not match the manifest's hash/m);
    expect(r.stdout).toMatch(/^NOT reproduced: .*1 published file differs from the manifest/m);
  }, 120_000);

  it('refuses an --out that is, lies inside or links to the published folder, and leaves it untouched', () => {
    const manifest = variant(run, () => {});
    const published = join(manifest, '..');
    const csv = join(published, 'epochs.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace(/\n(\w)/, '\nX$1'));
    const before = [readFileSync(csv, 'utf8'), readFileSync(manifest, 'utf8')];
    const link = join(tmp(), 'link');
    symlinkSync(published, link);
    for (const out of [published, join(published, 'again'), join(published, '.'), link]) {
      const r = cli('reproduce', manifest, '--out', out, '--workers', '1', '--progress', 'none');
      expect(r.status, out).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--out: .* is not valid \(expected a folder outside .*, the published run that reproduce checks and never writes into\)/);
    }
    expect([readFileSync(csv, 'utf8'), readFileSync(manifest, 'utf8')]).toEqual(before);
    expect(readdirSync(published).sort()).toEqual(['datapackage.json', 'epochs.csv', 'manifest.json', 'replicates.csv']);
  });

  it('compares values within a tolerance when the run was made on another Node major, and says so', () => {
    const manifest = variant(run, (m) => {
      m.software.node = '18.19.0';
    });
    const r = cli('reproduce', manifest, '--workers', '1', '--progress', 'none');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('compared within tolerance: the run was made on Node 18.19.0');
  }, 120_000);

  it.each([
    ['a config edited without its hash', (m: Record<string, any>) => void (m.config.replicates = 7), /configSha256: "[0-9a-f]{64}" does not match the config it holds/],
    ['an out-of-range value in the config', (m: Record<string, any>) => void (m.config.model.regions[0].pue = -1), /config\.model\.regions\[0\]\.pue: -1 is not valid/],
    ['missing output hashes', (m: Record<string, any>) => void delete m.outputs, /manifest\.json: outputs: missing is not valid/],
    ['a malformed hash', (m: Record<string, any>) => void (m.outputs['epochs.csv'] = 'abc'), /outputs\.epochs\.csv: "abc" is not valid \(expected a SHA-256/],
    ['another manifest version', (m: Record<string, any>) => void (m.manifestVersion = 99), /manifestVersion: 99 is not valid/],
    ['an output named ..', (m: Record<string, any>) => void (m.outputs['..'] = m.outputs['epochs.csv']), /manifest\.json: outputs: key "\.\." is not valid \(expected the plain name of a file in the run's folder\)/],
  ])('refuses %s with one line and exit 2', (_what, edit, message) => {
    const r = cli('reproduce', variant(run, edit));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('records replayed price and fee paths with their hashes, and refuses to reproduce once either file has changed', () => {
    const dir = tmp();
    const prices = join(dir, 'prices.csv');
    const fees = join(dir, 'fees.csv');
    writeFileSync(prices, 'date,price\n2026-03-01,70000\n2026-09-01,60000\n2027-03-01,80000\n');
    writeFileSync(fees, 'date,fee_ratio,source\n2026-03-01,0.01,test\n2026-08-01,0.2,test\n');
    const config = join(dir, 'replay.json');
    const overrides = { 'model.market.price.pathCsv': 'prices.csv', 'model.market.fees.pathCsv': 'fees.csv' };
    writeFileSync(config, JSON.stringify({ extends: join(ROOT, 'test', 'fixtures', 'tiny.json'), name: 'replay', replicates: 2, overrides }));
    const out = join(dir, 'out');
    const ran = cli('run', config, '--workers', '1', '--progress', 'none', '--no-summary', '--no-report', '--out', out);
    expect(ran.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.inputs['model.market.price.pathCsv'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.inputs['model.market.fees.pathCsv'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cli('reproduce', join(out, 'manifest.json'), '--workers', '1', '--progress', 'none').status).toBe(0);
    writeFileSync(fees, 'date,fee_ratio,source\n2026-03-01,0.01,test\n2026-08-01,0.3,test\n');
    const f = cli('reproduce', join(out, 'manifest.json'));
    expect(f.status).toBe(2);
    expect(f.stderr.trim()).toMatch(/manifest\.json: inputs\.model\.market\.fees\.pathCsv: .*fees\.csv has SHA-256 [0-9a-f]{64} \(expected [0-9a-f]{64}: the data file changed since the run\)$/);
    writeFileSync(fees, 'date,fee_ratio,source\n2026-03-01,0.01,test\n2026-08-01,0.2,test\n');
    writeFileSync(prices, 'date,price\n2026-03-01,70000\n2026-09-01,60000\n2027-03-01,90000\n');
    const r = cli('reproduce', join(out, 'manifest.json'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/manifest\.json: inputs\.model\.market\.price\.pathCsv: .*prices\.csv has SHA-256 [0-9a-f]{64} \(expected [0-9a-f]{64}: the data file changed since the run\)$/);
  }, 120_000);

  it('refuses a shard\'s manifest, pointing to merge and to the command that re-runs the shard', () => {
    const shard = join(tmp(), 'shard0');
    expect(cli('run', 'test/fixtures/tiny.json', '--replicates', '2', '--shard', '0/2', '--progress', 'none', '--out', shard).status).toBe(0);
    const r = cli('reproduce', join(shard, 'manifest.json'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/manifest\.json: shard: 0\/2 is not valid \(expected the manifest of a whole or merged run: .*hashmigrate merge.* re-run this shard with: hashmigrate run \S+ --replicates 2 --seed 20260401 --shard 0\/2 --out \S+\)$/);
  }, 120_000);

  it('refuses a truncated manifest and a missing one with one line and exit 2', () => {
    const manifest = variant(run, () => {});
    writeFileSync(manifest, readFileSync(manifest, 'utf8').slice(0, 400));
    const r = cli('reproduce', manifest);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/manifest\.json: not valid JSON at line \d+, column \d+/);
    const missing = cli('reproduce', join(tmp(), 'nothing', 'manifest.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toMatch(/manifest\.json: cannot read the file \(no such file\)$/);
  });
});

describe('value comparison across Node majors', () => {
  it('accepts last-bit differences within the tolerance and rejects larger ones', () => {
    expect(closeEnough(0.1 + 0.2, 0.3, 1e-9)).toBe(true);
    expect(closeEnough(1e6, 1e6 + 1e-2, 1e-9)).toBe(false);
    expect(closeEnough(0, 1e-12, 1e-9)).toBe(true);
    expect(compareCsvWithin('a,b\nx,1\n', 'a,b\nx,1.0000000000001\n', 1e-9)).toBeNull();
    expect(compareCsvWithin('a,b\nx,1\n', 'a,b\nx,1.001\n', 1e-9)).toBe('row 2, column b: "1" expected, "1.001" found');
    expect(compareCsvWithin('a,b\nx,1\n', 'a,b\ny,1\n', 1e-9)).toBe('row 2, column a: "x" expected, "y" found');
    expect(compareCsvWithin('a,b\nx,1\n', 'a,b\nx,1\nx,2\n', 1e-9)).toBe('2 rows expected, 3 found');
  });
});
