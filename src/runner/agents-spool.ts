// Per-operator snapshots of a batch (`run --agents EPOCHS`): each unit's rows of agents.csv, made by
// the worker that ran it, are kept in DIR/.partial/agents/<unit>.csv until the end, then joined in
// unit order into agents.csv, so that the file is the same bytes whatever the worker count, the
// chunk size or the order in which units finish. On --resume a finished unit without its rows (or
// with rows for other epochs) is run again for them; its record in the spool is kept.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { AGENTS_HEADER } from '../io/agents-csv.ts';
import { openTable, type TableOptions } from '../io/table.ts';
import { tableColumns } from '../io/datapackage.ts';
import { ioError } from '../io/io-error.ts';
import type { Plan } from './plan.ts';

/** The table's name: agents.csv, or agents.parquet with --format parquet. */
export const AGENTS_TABLE = 'agents';
const EPOCHS_FILE = 'epochs.json';

/** The columns of a batch's agents.csv: the sweep point (sweeps only) and the replicate, then those of `simulate`'s. */
export function batchAgentsHeader(sweeping: boolean): string[] {
  return [...(sweeping ? ['point'] : []), 'replicate', ...AGENTS_HEADER];
}

/** Refuses epochs outside the plan's 0 … E−1 (exit 2, before anything is written). */
export function checkAgentEpochs(file: string, plan: Plan, epochs: readonly number[]): void {
  const last = plan.epochCount - 1;
  for (const e of epochs) {
    if (!Number.isSafeInteger(e) || e < 0 || e > last) throw new UserError(`${file}: --agents: epoch ${e} is not valid (expected an epoch in 0..${last})`);
  }
}

export class AgentsSpool {
  private constructor(readonly dir: string) {}

  /** Opens DIR/.partial/agents for these epochs; rows kept for other epochs are removed. */
  static open(spoolDir: string, epochs: readonly number[]): AgentsSpool {
    const dir = join(spoolDir, 'agents');
    const tag = `${JSON.stringify(epochs)}\n`;
    const tagFile = join(dir, EPOCHS_FILE);
    let same = false;
    try {
      same = readFileSync(tagFile, 'utf8') === tag;
    } catch {
      // none yet, or unreadable: start again
    }
    try {
      if (!same) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        writeFileSync(tagFile, tag);
      }
    } catch (err) {
      throw ioError('write', tagFile, err);
    }
    return new AgentsSpool(dir);
  }

  private path(unit: number): string {
    return join(this.dir, `${unit}.csv`);
  }

  has(unit: number): boolean {
    return existsSync(this.path(unit));
  }

  /** Keeps a unit's rows: written to a temporary name and renamed, so a file present is complete. */
  write(unit: number, rows: string): void {
    const path = this.path(unit);
    const tmp = `${path}.tmp`;
    try {
      writeFileSync(tmp, rows);
      renameSync(tmp, path);
    } catch (err) {
      throw ioError('write', path, err);
    }
  }

  /** Writes DIR/agents.csv (or .parquet): every unit's rows in unit order; returns its file name. */
  async writeTable(plan: Plan, outDir: string, opts: TableOptions): Promise<string> {
    const out = await openTable(outDir, AGENTS_TABLE, batchAgentsHeader(plan.experiment.sweep !== undefined), tableColumns(plan, AGENTS_TABLE), opts);
    try {
      const units = plan.points.length * plan.replicates;
      for (let u = 0; u < units; u++) {
        let rows: string;
        try {
          rows = readFileSync(this.path(u), 'utf8');
        } catch (err) {
          throw ioError('read', this.path(u), err);
        }
        out.addCsvText(rows);
        await out.flush();
      }
      await out.commit();
    } finally {
      await out.abort();
    }
    return out.file;
  }
}
