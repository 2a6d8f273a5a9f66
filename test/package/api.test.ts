// The package's public API, imported by its name as a user's program would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, readRun, runBatch, runReplicate, seriesOf, UserError, validateConfig } from 'hashmigrate';
import { ROOT } from '../support/cli.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
import { tempDirs } from '../support/tmp.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-api-');

describe("import from 'hashmigrate'", () => {
  it('loadConfig resolves extends and overrides; validateConfig lists problems without throwing', () => {
    const config = loadConfig(TINY);
    expect(config.experiment.name).toBe('tiny');
    expect(config.experiment.model.operators.count).toBe(150);
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ extends: TINY, replicates: 0 }));
    const check = validateConfig(bad);
    expect(check.experiment).toBeUndefined();
    expect(check.problems).toEqual([expect.stringMatching(/bad\.json: replicates: 0 is not valid/)]);
    expect(() => loadConfig(bad)).toThrow(UserError);
  });

  it('runReplicate equals the same replicate of runBatch, whose results readRun reads back', async () => {
    const config = loadConfig(TINY);
    const one = runReplicate(config, { replicate: 1 });
    expect(one.replicate).toBe(1);
    const outDir = join(tmp(), 'run');
    const result = await runBatch(config, { outDir, replicates: 2, workers: 1 });
    expect(result.outputs).toContain('epochs.csv');
    const replicates = readFileSync(join(outDir, 'replicates.csv'), 'utf8').split('\n');
    expect(replicates[2]).toContain(one.seedDigest);
    const run = readRun(outDir);
    expect(run.manifest.replicates).toBe(2);
    const hhi = seriesOf(run, 'hhi_region');
    expect(hhi.length).toBe(one.epochCount);
    expect(hhi[0].min).toBeLessThanOrEqual(hhi[0].max);
    expect(() => runReplicate(config, { point: 1 })).toThrow(/point: 1 is not a sweep point \(expected 0: the config has no sweep\)/);
  });

  it('resolves by name from another package under `node --import tsx`', () => {
    const app = tmp();
    mkdirSync(join(app, 'node_modules'));
    // installed as a dependency, next to tsx, which runs the TypeScript sources
    symlinkSync(ROOT, join(app, 'node_modules', 'hashmigrate'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', 'tsx'), join(app, 'node_modules', 'tsx'), 'dir');
    writeFileSync(join(app, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(app, 'app.ts'), [
      "import { loadConfig, runReplicate } from 'hashmigrate';",
      `const out = runReplicate(loadConfig(${JSON.stringify(TINY)}), { replicate: 0 });`,
      'console.log(out.epochCount, out.series.length);',
    ].join('\n'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(app, 'app.ts')], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+ \d+\n$/);
  });

  it("type-checks the README's example under strict tsc, as a program of another package would", () => {
    const example = /## Using it from a program[\s\S]*?```ts\n([\s\S]*?)```/.exec(README)?.[1];
    expect(example).toMatch(/from 'hashmigrate'/);
    const app = tmp();
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(ROOT, join(app, 'node_modules', 'hashmigrate'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(app, 'node_modules', '@types'), 'dir');
    writeFileSync(join(app, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(app, 'app.ts'), example!);
    // the compiler options the README names, with `strict` as `tsc --init` sets it
    const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['app.ts'] }));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);
});
