// One pass over an experiment file: every problem at once, each where the user wrote it, with the
// nearest valid key or id.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExperimentFile } from '../../src/config/check.ts';
import { ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const BASELINE = join(ROOT, 'configs', 'baseline.json');
const baselineRaw = JSON.parse(readFileSync(BASELINE, 'utf8'));
const tmp = tempDirs('hm-check-');

function write(dir: string, name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('checkExperimentFile', () => {
  it('reports schema and cross-field problems of a broken baseline copy together', () => {
    const raw = structuredClone(baselineRaw);
    raw.model.regions[3].capacityMw = -5;
    raw.model.decisions.destinations = ['py', 'mars'];
    raw.model.market.fees.medianRatoi = 0.1;
    const file = write(tmp(), 'copy.json', raw);
    const { experiment, problems } = checkExperimentFile(file);
    expect(experiment).toBeUndefined();
    expect(problems).toEqual([
      `${file}: model.market.fees: unknown key "medianRatoi" (did you mean "medianRatio"?)`,
      `${file}: model.regions[3].capacityMw: -5 is not valid (Too small: expected number to be >=0)`,
      `${file}: model.decisions.destinations[1]: "mars" is not a known region (expected one of us, ru, cn, py, ae, om, ca, kz, et, no, my, row)`,
    ]);
  });

  it('reports every problem of a broken scenario, overrides at the key written, with suggestions', () => {
    const dir = tmp();
    const file = write(dir, 'scenario.json', {
      extends: BASELINE,
      overrides: {
        'model.market.fees.medianRatoi': 0.05,
        'model.regions.uss.pue': 1.1,
        'model.regions.us.pue': 0.5,
        'model.decisions.destinations': ['py', 'uae'],
      },
      model: { fleet: { lifespanYear: 6 }, events: [{ date: '2027-01-01', kind: 'ban', region: 'chn' }] },
    });
    expect(checkExperimentFile(file).problems).toEqual([
      `${file}: overrides.model.market.fees.medianRatoi: no field "model.market.fees.medianRatoi" to override (did you mean "model.market.fees.medianRatio"?)`,
      `${file}: overrides.model.regions.uss.pue: no element with id or name "uss" at "model.regions.uss" (did you mean "us"?)`,
      `${file}: overrides.model.regions.us.pue (model.regions[0].pue): 0.5 is not valid (Too small: expected number to be >=1)`,
      `${file}: model.fleet: unknown key "lifespanYear" (did you mean "lifespanYears"?)`,
      `${file}: overrides.model.decisions.destinations (model.decisions.destinations[1]): "uae" is not a known region (expected one of us, ru, cn, py, ae, om, ca, kz, et, no, my, row; did you mean "ae"?)`,
      `${file}: model.events[0].region: "chn" is not a known region (expected one of us, ru, cn, py, ae, om, ca, kz, et, no, my, row; did you mean "cn"?)`,
    ]);
  });

  it('names the base file for a problem in a value the scenario inherits', () => {
    const dir = tmp();
    const raw = structuredClone(baselineRaw);
    raw.model.operators.count = 0;
    const base = write(dir, 'base.json', raw);
    const child = write(dir, 'child.json', { extends: 'base.json', name: 'child', replicates: 0 });
    expect(checkExperimentFile(child).problems).toEqual([
      `${child}: replicates: 0 is not valid (Too small: expected number to be >=1)`,
      `${base}: model.operators.count: 0 is not valid (Too small: expected number to be >=1)`,
    ]);
  });

  it('names the file that wrote an object for a key missing from it, and the base for one the base lacks', () => {
    const dir = tmp();
    const raw = structuredClone(baselineRaw);
    delete raw.model.start.date;
    const base = write(dir, 'base.json', raw);
    // the scenario writes the sweep (the base has none) and model.start, which both files write
    const child = write(dir, 'child.json', { extends: 'base.json', name: 'child', sweep: { design: 'grid', points: 2 }, model: { start: { height: 1 } } });
    expect(checkExperimentFile(child).problems).toEqual([
      `${base}: model.start.date: missing is not valid (expected string, received undefined)`,
      `${child}: sweep.parameters: missing is not valid (expected array, received undefined)`,
    ]);
  });

  it('gives the full valid path for a key written at the wrong level', () => {
    const file = write(tmp(), 'levels.json', {
      extends: BASELINE,
      pue: 1.1,
      model: { destinations: ['py'], market: { lifespanYear: 6, price: { hurdleRatePerYear: 0.1 } }, zzzqqq: 1 },
    });
    expect(checkExperimentFile(file).problems).toEqual([
      `${file}: model.market.price: unknown key "hurdleRatePerYear" (did you mean "model.operators.hurdleRatePerYear" or "model.investment.hurdleRatePerYear"?)`,
      `${file}: model.market: unknown key "lifespanYear" (did you mean "model.fleet.lifespanYears"?)`,
      `${file}: model: unknown key "destinations" (did you mean "model.decisions.destinations"?)`,
      `${file}: model: unknown key "zzzqqq" (check the spelling against docs/CONFIG.md)`,
      `${file}: (top level): unknown key "pue" (did you mean "model.regions[].pue"?)`,
    ]);
  });

  it('reports a syntax error in the base under the base file\'s name', () => {
    const dir = tmp();
    const base = write(dir, 'base.json', '{ "name": "x", }');
    const child = write(dir, 'child.json', { extends: 'base.json', overrides: [1] });
    const problems = checkExperimentFile(child).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON at line 1, column 16`));
  });

  it('suggests the nearest path for a misspelt sweep parameter', () => {
    const file = write(tmp(), 'sweep.json', {
      extends: BASELINE,
      sweep: { design: 'grid', points: 2, parameters: [{ path: 'model.market.fees.medianRatoi', min: 0, max: 0.1 }] },
    });
    expect(checkExperimentFile(file).problems).toEqual([
      `${file}: sweep.parameters[0].path: "model.market.fees.medianRatoi" is not valid (no field "model.market.fees.medianRatoi" (did you mean "model.market.fees.medianRatio"?))`,
    ]);
  });

  it('reserves the region id "network", which marks network-wide rows in the outputs', () => {
    const file = write(tmp(), 'network.json', { extends: BASELINE, overrides: { 'model.regions.row.id': 'network' } });
    expect(checkExperimentFile(file).problems).toContain(
      `${file}: overrides.model.regions.row.id (model.regions[11].id): "network" is not valid (expected another id: "network" marks network-wide rows in the outputs)`,
    );
  });

  it('accepts every shipped config with no problem', () => {
    for (const name of ['baseline', 'us-power-shock', 'halving-2028']) {
      expect(checkExperimentFile(join(ROOT, 'configs', `${name}.json`)).problems).toEqual([]);
    }
  });
});
