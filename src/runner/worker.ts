// Worker thread entry: runs units (sweep point, replicate) of a plan and returns their records.
import { existsSync, writeFileSync } from 'node:fs';
import { bootstrapData, exposeWorker } from './pool.ts';
import type { WorkerPayload } from './plan.ts';
import { resolveParams, type Params } from '../model/params.ts';
import { simulateReplicate } from '../model/simulate.ts';
import { applyPoint } from './sweep.ts';
import { encodeUnit, type UnitResult } from './record.ts';
import { unitStreamKey } from './unit-key.ts';
import { agentRows } from '../model/agents.ts';
import { agentsRows, type AgentSnapshot } from '../io/agents-csv.ts';
import { CsvWriter } from '../io/csv.ts';
import { batchAgentsHeader } from './agents-spool.ts';

const payload = bootstrapData<WorkerPayload>();
const cache = new Map<number, Params>();

function paramsFor(point: number): Params {
  let p = cache.get(point);
  if (!p) {
    p = resolveParams(applyPoint(payload.experiment, payload.points[point]).model, payload.pricePath, payload.feePath);
    cache.set(point, p);
  }
  return p;
}

/** Test hook: a unit at which the replicate throws as a model error would (HASHMIGRATE_TEST_THROW_AT_UNIT). */
const throwAtUnit = process.env.HASHMIGRATE_TEST_THROW_AT_UNIT === undefined ? -1 : Number(process.env.HASHMIGRATE_TEST_THROW_AT_UNIT);

export function runUnit(unit: number): UnitResult {
  if (unit === throwAtUnit) throw new Error(`test hook: replicate unit ${unit} throws (HASHMIGRATE_TEST_THROW_AT_UNIT)`);
  const point = Math.floor(unit / payload.replicates);
  const replicate = unit % payload.replicates;
  const params = paramsFor(point);
  const wanted = payload.agents;
  if (!wanted) return encodeUnit(unit, simulateReplicate(params, unitStreamKey(payload.experiment, point, replicate)));
  const epochs = new Set(wanted.epochs);
  const snapshots: AgentSnapshot[] = [];
  const out = simulateReplicate(params, unitStreamKey(payload.experiment, point, replicate), (epoch, state) => {
    if (epochs.has(epoch)) snapshots.push({ epoch, day: state.day, rows: agentRows(params, state) });
  });
  agentsWriter ??= new CsvWriter(batchAgentsHeader(wanted.sweeping), { excel: wanted.excel });
  const start = applyPoint(payload.experiment, payload.points[point]).model.start.date;
  return { ...encodeUnit(unit, out), agentsCsv: agentsRows(snapshots, start, agentsWriter, [...(wanted.sweeping ? [point] : []), replicate]) };
}

let agentsWriter: CsvWriter | undefined;

exposeWorker<UnitResult>({
  runChunk(units, progress) {
    return units.map((unit) => {
      const kill = payload.killAtUnit;
      if (kill && kill.unit === unit && !existsSync(kill.marker)) {
        writeFileSync(kill.marker, 'killed\n');
        process.exit(1);
      }
      const result = runUnit(unit);
      if (progress) Atomics.add(progress, 0, 1);
      return result;
    });
  },
});
