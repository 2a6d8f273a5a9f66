// agents.csv: per-operator snapshots at chosen epochs (`simulate --agents EPOCHS`, and `run --agents
// EPOCHS` with the point and replicate first), one row per (epoch, operator).
import type { AgentRow } from '../model/agents.ts';
import { dateAfter } from '../model/time.ts';
import { CsvWriter, type CsvOptions } from './csv.ts';

export const AGENTS_HEADER = ['epoch', 'date', 'operator', 'region', 'status', 'hashrate_ths', 'running_ths', 'efficiency_j_th', 'site_mw', 'cash_usd', 'debt_usd'] as const;

/** The operators at one epoch: the epoch, the days elapsed at its close and every operator's row. */
export interface AgentSnapshot {
  epoch: number;
  day: number;
  rows: AgentRow[];
}

export function agentsCsv(snapshots: AgentSnapshot[], startDate: string, opts: CsvOptions = {}): string {
  const writer = new CsvWriter(AGENTS_HEADER, opts);
  const parts = [writer.start()];
  for (const { epoch, day, rows } of snapshots) {
    const date = dateAfter(startDate, day);
    for (const r of rows) parts.push(writer.row([epoch, date, r.operator, r.region, r.status, r.hashrateThs, r.runningThs, r.efficiencyJPerTh, r.siteMw, r.cashUsd, r.debtUsd]));
  }
  return parts.join('');
}

/** One replicate's rows (no header) for a batch's agents.csv: each row starts with `prefix` (point, replicate). */
export function agentsRows(snapshots: AgentSnapshot[], startDate: string, writer: CsvWriter, prefix: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (const { epoch, day, rows } of snapshots) {
    const date = dateAfter(startDate, day);
    for (const r of rows) parts.push(writer.row([...prefix, epoch, date, r.operator, r.region, r.status, r.hashrateThs, r.runningThs, r.efficiencyJPerTh, r.siteMw, r.cashUsd, r.debtUsd]));
  }
  return parts.join('');
}
