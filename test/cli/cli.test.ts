// The real command line, spawned as `node dist/cli.mjs ...` (the bundle of the sources, support/cli.ts) and once through bin/hashmigrate.mjs: help, simulate, run,
// validate, schema, one-line user errors with exit code 2, and Ctrl-C (exit 130, spool kept).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { CLI, cliRunner, ROOT, type Ran } from '../support/cli.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const BASELINE = join(ROOT, 'configs', 'baseline.json');

const cli = cliRunner(60_000);
const tmp = tempDirs('hm-cli-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});


/** Writes an experiment file extending baseline.json (by absolute path) into a temp folder. */
function writeConfig(name: string, body: Record<string, unknown> | string): string {
  const file = join(tmp('hm-cli-cfg-'), `${name}.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify({ extends: BASELINE, name, ...body }, null, 2));
  return file;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

describe('hashmigrate --help', () => {
  it('exits 0 and lists the commands', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    for (const c of ['simulate', 'run', 'validate', 'schema']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });

  it('works through bin/hashmigrate.mjs too', () => {
    const r = spawnSync(process.execPath, ['bin/hashmigrate.mjs', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('simulate');
  });
});

describe('hashmigrate simulate', () => {
  const dirA = join(tmp(), 'a');
  const dirB = join(tmp(), 'b');
  const dirC = join(tmp(), 'c');

  it('writes a tidy trajectory.csv with every metric', () => {
    const r = cli('simulate', TINY, '--replicate', '0', '--out', dirA);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('trajectory.csv');
    const text = readFileSync(join(dirA, 'trajectory.csv'), 'utf8');
    const [header, ...body] = lines(text);
    expect(header).toBe('epoch,date,metric,region,value');
    const rows = body.map((l) => l.split(','));
    for (const r of rows) {
      expect(r).toHaveLength(5);
      expect(r[0]).toMatch(/^\d+$/);
      expect(r[1]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isFinite(Number(r[4])) && r[4] !== '').toBe(true);
    }
    const regionsOf = new Map<string, Set<string>>();
    for (const [, , metric, region] of rows) {
      if (!regionsOf.has(metric)) regionsOf.set(metric, new Set());
      regionsOf.get(metric)!.add(region);
    }
    const network = [
      'hashrate_ehs',
      'difficulty',
      'btc_price_usd',
      'hashprice_usd_ph_day',
      'hhi_region',
      'nakamoto_region',
      'top3_share_region',
      'entropy_region_bits',
      'hhi_operator',
      'nakamoto_operator',
      'gini_operator',
      'unprofitable_share',
      'mean_efficiency_j_th',
      'capitulations',
      'ai_pivots',
      'ai_mw',
    ];
    for (const m of network) expect([...(regionsOf.get(m) ?? ['(absent)'])], m).toEqual(['network']);
    const regions = ['us', 'ru', 'cn', 'py', 'ae', 'om', 'ca', 'kz', 'et', 'no', 'my', 'row'];
    for (const m of ['share', 'cost_per_btc_usd']) expect([...(regionsOf.get(m) ?? [])].sort(), m).toEqual([...regions].sort());
    expect([...(regionsOf.get('relocations') ?? [])].sort()).toEqual(['ae', 'et', 'py']);

    // every series at every epoch, once
    const epochs = new Set(rows.map((r) => r[0]));
    const series = new Set(rows.map((r) => `${r[2]}|${r[3]}`));
    expect(rows).toHaveLength(epochs.size * series.size);
    // shares add up to 1 at the first epoch
    const share0 = rows.filter((r) => r[0] === '0' && r[2] === 'share').reduce((s, r) => s + Number(r[4]), 0);
    expect(share0).toBeCloseTo(1, 9);
  });

  it('is reproducible, and another replicate differs', () => {
    const again = cli('simulate', TINY, '--replicate', '0', '--out', dirB);
    expect(again.status).toBe(0);
    expect(readFileSync(join(dirB, 'trajectory.csv'))).toEqual(readFileSync(join(dirA, 'trajectory.csv')));
    const other = cli('simulate', TINY, '--replicate', '1', '--out', dirC);
    expect(other.status).toBe(0);
    const a = readFileSync(join(dirA, 'trajectory.csv'), 'utf8');
    const c = readFileSync(join(dirC, 'trajectory.csv'), 'utf8');
    expect(c).not.toBe(a);
    expect(lines(c)[0]).toBe(lines(a)[0]);
  });
});

describe('user errors: exit 2, one line naming file, field and value, no output', () => {
  const expectOneLine = (r: Ran, ...parts: string[]) => {
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const err = lines(r.stderr);
    expect(err, r.stderr).toHaveLength(1);
    expect(err[0]).toMatch(/^hashmigrate: /);
    for (const p of parts) expect(err[0]).toContain(p);
  };

  it('a missing config file', () => {
    const out = join(tmp(), 'out');
    const missing = join(tmp(), 'nope.json');
    const r = cli('run', missing, '--out', out, '--progress', 'none');
    expectOneLine(r, missing, 'no such file');
    expect(existsSync(out)).toBe(false);
    const s = cli('simulate', missing, '--out', out);
    expectOneLine(s, missing);
    expect(existsSync(out)).toBe(false);
  });

  it('malformed JSON', () => {
    const file = writeConfig('broken', `{ "extends": ${JSON.stringify(BASELINE)}, "name": "broken",\n}\n`);
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none');
    expectOneLine(r, file, 'not valid JSON', 'line 2');
    expect(existsSync(out)).toBe(false);
  });

  it('a negative capacity', () => {
    const file = writeConfig('neg', { overrides: { 'model.regions.py.capacityMw': -5 } });
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none');
    expectOneLine(r, file, 'model.regions[3].capacityMw', '-5');
    expect(existsSync(out)).toBe(false);
    const s = cli('simulate', file, '--out', out);
    expectOneLine(s, file, 'capacityMw', '-5');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown region among the destinations', () => {
    const file = writeConfig('dest', { overrides: { 'model.decisions.destinations': ['py', 'xx'] } });
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none');
    expectOneLine(r, file, 'model.decisions.destinations[1]', '"xx"');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown key', () => {
    const file = writeConfig('key', { model: { operators: { cuont: 5 } } });
    const out = join(tmp(), 'out');
    const r = cli('run', file, '--out', out, '--progress', 'none');
    expectOneLine(r, file, 'model.operators', '"cuont"', 'unknown key');
    expect(existsSync(out)).toBe(false);
  });

  // Commander usage errors: exit 2 with commander's own `error:` line. Note that showHelpAfterError()
  // makes commander print the command's help after that line, so stderr is not a single line here.
  it('--replicates 0', () => {
    const out = join(tmp(), 'out');
    const r = cli('run', TINY, '--replicates', '0', '--out', out, '--progress', 'none');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const errors = lines(r.stderr).filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(lines(r.stderr)[0]).toBe(errors[0]);
    expect(errors[0]).toContain('--replicates');
    expect(errors[0]).toContain('"0"');
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown --progress value', () => {
    const out = join(tmp(), 'out');
    const r = cli('run', TINY, '--progress', 'fancy', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)[0]).toMatch(/^error: .*--progress.*'fancy'/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('hashmigrate validate', () => {
  it('prints every problem and exits 2', () => {
    // two schema problems
    const file = writeConfig('two', { replicates: 0, overrides: { 'model.regions.py.capacityMw': -5 } });
    const r = cli('validate', file);
    expect(r.status).toBe(2);
    const err = lines(r.stderr);
    expect(err, r.stderr).toHaveLength(2);
    expect(err.every((l) => l.includes(file))).toBe(true);
    expect(err.some((l) => l.includes('replicates') && l.includes(': 0 '))).toBe(true);
    expect(err.some((l) => l.includes('model.regions[3].capacityMw') && l.includes('-5'))).toBe(true);

    // two cross-field problems
    const file2 = writeConfig('two-cross', { overrides: { 'model.horizon.endDate': '2020-01-01', 'model.decisions.destinations': ['py', 'xx'] } });
    const r2 = cli('validate', file2);
    expect(r2.status).toBe(2);
    const err2 = lines(r2.stderr);
    expect(err2, r2.stderr).toHaveLength(2);
    expect(err2.some((l) => l.includes('model.horizon.endDate') && l.includes('"2020-01-01"'))).toBe(true);
    expect(err2.some((l) => l.includes('model.decisions.destinations[1]') && l.includes('"xx"'))).toBe(true);
  });

  it('gives the full path for a key written at the wrong level', () => {
    const file = writeConfig('level', { model: { destinations: ['py'] } });
    const r = cli('validate', file);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([`hashmigrate: ${file}: model: unknown key "destinations" (did you mean "model.decisions.destinations"?)`]);
  });

  it('accepts the baseline', () => {
    const r = cli('validate', 'configs/baseline.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/valid/);
  });
});

describe('hashmigrate schema', () => {
  it('prints a JSON Schema with the model', () => {
    const r = cli('schema');
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties).toHaveProperty('model');
    expect(schema.properties).toHaveProperty('replicates');
  });
});

describe('hashmigrate run', () => {
  it('runs a batch, prints the summary and leaves only the results', () => {
    const out = join(tmp(), 'out');
    const r = cli('run', TINY, '--workers', '2', '--out', out, '--progress', 'none');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hhi_region');
    expect(r.stdout).toMatch(/final epoch \d+/);
    // Ethiopia, a default destination closed to allocations in the baseline, is named as receiving nobody
    expect(r.stdout).toContain('note: destination et is closed to allocations (allocationsOpen false, no "open" event), so it receives no relocations\n');
    expect(readdirSync(out).sort()).toEqual(['datapackage.json', 'epochs.csv', 'figures', 'manifest.json', 'replicates.csv', 'report.html']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.replicates).toBe(12);
    expect(Object.keys(manifest.outputs)).toEqual(['datapackage.json', 'epochs.csv', 'replicates.csv']);
  });

  it('stops on Ctrl-C with exit 130, keeping the spool and no partial outputs', async () => {
    const out = join(tmp(), 'out');
    const child = spawn(process.execPath, [...CLI, 'run', TINY, '--replicates', '400', '--workers', '2', '--progress', 'log', '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
      child.on('exit', (code, signal) => res({ code, signal, at: Date.now() })),
    );

    // Wait until some replicates are spooled (the run has really started), then interrupt.
    const done = join(out, '.partial', 'done.jsonl');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(done) && readFileSync(done, 'utf8').length > 0)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the run did not start spooling: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const sent = Date.now();
    child.kill('SIGINT');
    const result = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(result, 'the run did not stop within 5 s of SIGINT').not.toBeNull();
    expect(result!.code).toBe(130);
    expect(result!.at - sent).toBeLessThan(5_000);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).toMatch(/--resume/);

    const names = readdirSync(out);
    expect(names).not.toContain('epochs.csv');
    expect(names).not.toContain('replicates.csv');
    expect(names).not.toContain('manifest.json');
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).not.toContain('.hashmigrate.lock');
    expect(names).toContain('.partial');
    const kept = lines(readFileSync(done, 'utf8')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(400);
  }, 60_000);
});

describe('hashmigrate run: an exception in a replicate', () => {
  it('stops with exit 1, naming the replicate, the seed and the command that re-runs it, and writes no results', () => {
    const out = join(tmp(), 'thrown');
    const r = spawnSync(process.execPath, [...CLI, 'run', TINY, '--workers', '2', '--progress', 'none', '--no-report', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HASHMIGRATE_TEST_THROW_AT_UNIT: '5' },
    });
    expect(r.status).toBe(1);
    const errLines = lines(r.stderr);
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^hashmigrate: model error running replicate 5: test hook: .*; seed 20260401; re-run one alone with: hashmigrate simulate \S+tiny\.json --replicate 5 --seed 20260401$/);
    expect(existsSync(join(out, 'epochs.csv'))).toBe(false);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });
});

describe('hashmigrate run: killed outright, then --resume', () => {
  it('keeps the finished replicates through SIGKILL and resumes to the bytes of an uninterrupted run', async () => {
    const args = ['run', TINY, '--replicates', '40', '--workers', '2', '--chunk-size', '1', '--progress', 'none', '--no-summary', '--no-report'];
    const ref = join(tmp(), 'ref');
    expect(cli(...args, '--out', ref).status).toBe(0);

    const out = join(tmp(), 'killed');
    const child = spawn(process.execPath, [...CLI, ...args, '--out', out], { cwd: ROOT, stdio: 'ignore' });
    children.push(child);
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    const done = join(out, '.partial', 'done.jsonl');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(done) && lines(readFileSync(done, 'utf8')).length >= 3)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the run did not start spooling');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const kept = lines(readFileSync(done, 'utf8')).length;
    expect(kept).toBeLessThan(40);
    expect(existsSync(join(out, 'epochs.csv'))).toBe(false);
    // the killed run's lock is left behind; a new run takes it over since its process is gone
    expect(existsSync(join(out, '.hashmigrate.lock'))).toBe(true);

    const resumed = cli(...args, '--out', out, '--resume');
    expect(resumed.status).toBe(0);
    for (const f of ['epochs.csv', 'replicates.csv', 'datapackage.json']) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(ref, f), 'utf8'));
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).outputs).toEqual(JSON.parse(readFileSync(join(ref, 'manifest.json'), 'utf8')).outputs);
    expect(readdirSync(out)).not.toContain('.partial');
  }, 120_000);
});
