// `run --agents EPOCHS`: every operator of every replicate at the chosen epochs, in agents.csv, the
// same bytes whatever the worker count and chunk size, the same rows as `simulate --agents` of each
// replicate, and described in datapackage.json and the manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { runReplicate } from '../../src/api/run-replicate.ts';
import { agentsCsv } from '../../src/io/agents-csv.ts';
import { UserError } from '../../src/config/errors.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-agents-batch-');
const EPOCHS = [0, 5, 27];

async function run(outDir: string, workers: number, chunkSize: number, agents: number[] = EPOCHS) {
  const loaded = loadExperiment(TINY);
  loaded.experiment.replicates = 4;
  return runBatch({ file: TINY, experiment: loaded.experiment, outDir, workers, chunkSize, agents, progress: 'none', trajectories: false, excel: false, force: true, resume: false, log: () => {} });
}

let one: string;
let two: string;
beforeAll(async () => {
  one = join(tmp(), 'one');
  two = join(tmp(), 'two');
  await run(one, 1, 1);
  await run(two, 2, 3);
}, 180_000);

describe('run --agents', () => {
  it('writes the same bytes with 1 worker and chunks of 1 as with 2 workers and chunks of 3', () => {
    expect(readFileSync(join(two, 'agents.csv'))).toEqual(readFileSync(join(one, 'agents.csv')));
  });

  it('holds, per replicate, the rows simulate --agents writes for that replicate', () => {
    const lines = readFileSync(join(one, 'agents.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('replicate,epoch,date,operator,region,status,hashrate_ths,running_ths,efficiency_j_th,site_mw,cash_usd,debt_usd');
    const loaded = loadExperiment(TINY);
    for (const k of [0, 3]) {
      const out = runReplicate(loaded, { replicate: k, agentEpochs: EPOCHS });
      const alone = agentsCsv(out.agents, loaded.experiment.model.start.date).trimEnd().split('\n').slice(1);
      const mine = lines.slice(1).filter((l) => l.startsWith(`${k},`)).map((l) => l.slice(`${k},`.length));
      expect(mine).toEqual(alone);
    }
    const slots = loaded.experiment.model.operators.count + loaded.experiment.model.investment.entrantSlots;
    expect(lines.length - 1).toBe(4 * EPOCHS.length * slots);
  });

  it('is described in datapackage.json and hashed in the manifest with its epochs', () => {
    const pkg = JSON.parse(readFileSync(join(one, 'datapackage.json'), 'utf8'));
    const res = pkg.resources.find((r: { name: string }) => r.name === 'agents');
    expect(res.path).toBe('agents.csv');
    expect(res.schema.fields.map((f: { name: string }) => f.name)).toEqual(readFileSync(join(one, 'agents.csv'), 'utf8').split('\n')[0].split(','));
    expect(res.schema.primaryKey).toEqual(['replicate', 'epoch', 'operator']);
    const manifest = JSON.parse(readFileSync(join(one, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.outputs)).toContain('agents.csv');
    expect(manifest.options.agents).toEqual(EPOCHS);
  });

  it('a run without --agents over one with it removes the old agents.csv', async () => {
    const dir = join(tmp(), 'again');
    await run(dir, 1, 2);
    const r = await run(dir, 1, 2, []);
    expect(r.outputs).not.toContain('agents.csv');
    expect(() => readFileSync(join(dir, 'agents.csv'))).toThrow();
  }, 120_000);

  it('refuses an epoch beyond the run, before writing anything', async () => {
    await expect(run(join(tmp(), 'never'), 1, 1, [0, 28])).rejects.toThrow(UserError);
    await expect(run(join(tmp(), 'never'), 1, 1, [0, 28])).rejects.toThrow(/--agents: epoch 28 is not valid \(expected an epoch in 0\.\.27\)/);
  });

  it('the CLI takes --agents and refuses a bad list with exit 2', () => {
    const r = cliRunner(60_000)('run', TINY, '--agents', '0,x', '--out', join(tmp(), 'bad'), '--progress', 'none');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('hashmigrate: --agents: "0,x" is not valid (expected epochs as integers separated by commas, e.g. 0,52,104)');
  });
});
