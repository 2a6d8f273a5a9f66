// Per-operator snapshots (agent-level output): where each operator is and what it holds at one
// epoch. A reporter: it reads the state and never draws from the random streams.
import type { Params } from './params.ts';
import { AI, EXITED, MINING, TRANSIT, type State } from './state.ts';

export const AGENT_STATUS: Record<number, string> = { [MINING]: 'mining', [TRANSIT]: 'transit', [AI]: 'ai', [EXITED]: 'exited' };

/** One operator at one epoch. */
export interface AgentRow {
  operator: number;
  /** region id of its site (in transit: the region it is leaving) */
  region: string;
  status: string;
  /** hashrate installed, TH/s */
  hashrateThs: number;
  /** hashrate running this epoch, TH/s */
  runningThs: number;
  /** installed-hashrate-weighted mean efficiency of its machines, J/TH (0 without machines) */
  efficiencyJPerTh: number;
  /** site capacity for mining, MW */
  siteMw: number;
  cashUsd: number;
  debtUsd: number;
}

/** Every operator's row, in operator order, from the state after the epoch's observation. */
export function agentRows(p: Params, s: Readonly<State>): AgentRow[] {
  const N = s.opStatus.length;
  const K = p.cohortSlots;
  const rows: AgentRow[] = [];
  for (let i = 0; i < N; i++) {
    let ths = 0;
    let running = 0;
    let joules = 0;
    for (let k = i * K; k < (i + 1) * K; k++) {
      ths += s.coThs[k];
      joules += s.coThs[k] * s.coJth[k];
      if (s.coRunning[k]) running += s.coThs[k];
    }
    rows.push({
      operator: i,
      region: p.regionIds[s.opRegion[i]],
      status: AGENT_STATUS[s.opStatus[i]] ?? String(s.opStatus[i]),
      hashrateThs: ths,
      runningThs: running,
      efficiencyJPerTh: ths > 0 ? joules / ths : 0,
      siteMw: s.opSiteMw[i],
      cashUsd: s.opCashUsd[i],
      debtUsd: s.opDebtUsd[i],
    });
  }
  return rows;
}
