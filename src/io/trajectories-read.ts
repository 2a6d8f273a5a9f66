// Reads a run's trajectories.csv or trajectories.parquet (`run --trajectories`, no sweep) back into
// every replicate's series, streaming line by line (row group by row group for Parquet) so that a
// large file never sits in memory as text. The rows must come in the
// order `run` writes them (replicate, then epoch, then series in output order); anything else is a
// UserError naming the file and the line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError } from '../config/errors.ts';
import type { SeriesKey } from '../model/output.ts';
import { regionOfCell } from './region-cell.ts';
import { forEachParquetRow } from './parquet-read.ts';

export interface ReplicateTable {
  replicates: number;
  epochCount: number;
  series: SeriesKey[];
  /** replicate r, series s, epoch e at values[(r * series.length + s) * epochCount + e] */
  values: Float64Array;
}

const HEADER = 'replicate,epoch,date,metric,region,value';

/** Splits one CSV line; quoted fields (RFC 4180) are unquoted. */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else cell += line[i++];
      }
      cells.push(cell);
      i++;
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return cells;
}

/** Reads `file` (with `replicates` replicates expected) into a ReplicateTable. */
export async function readTrajectories(file: string, replicates: number): Promise<ReplicateTable> {
  const series: SeriesKey[] = [];
  const index = new Map<string, number>();
  let chunks: Float64Array[] = [];
  let current = new Float64Array(1 << 16);
  let used = 0;
  let lineNo = 0;
  let epochCount = -1;
  // position expected next: replicate r, epoch e, series s
  let r = 0;
  let e = 0;
  let s = 0;
  const fail = (what: string): never => {
    throw new UserError(`${file}: line ${lineNo}: ${what}`);
  };
  const checkHeader = (line: string) => {
    if (line !== HEADER) fail(`header ${JSON.stringify(line)}; expected ${JSON.stringify(HEADER)} (a run without a sweep, written by \`run --trajectories\`)`);
  };
  const take = (cells: string[]) => {
    if (cells.length !== 6) fail(`${cells.length} fields; expected 6 as in the header`);
    const [rep, epoch, , metric, regionText, text] = cells;
    const region = regionOfCell(regionText);
    const key = `${metric}|${region}`;
    if (r === 0 && e === 0 && !index.has(key)) {
      if (Number(epoch) !== 0 || Number(rep) !== 0) fail(`replicate ${rep}, epoch ${epoch}; expected replicate 0, epoch 0`);
      index.set(key, series.length);
      series.push({ metric, region });
      s = series.length;
    } else {
      if (s === series.length) {
        s = 0;
        e++;
        if (epochCount < 0 && r === 0 && Number(rep) === 1 && Number(epoch) === 0) {
          epochCount = e;
        }
        if (epochCount > 0 && e === epochCount) {
          e = 0;
          r++;
        }
      }
      if (Number(rep) !== r || Number(epoch) !== e || index.get(key) !== s) {
        fail(`replicate ${rep}, epoch ${epoch}, ${metric}${region ? ` ${region}` : ''}; expected replicate ${r}, epoch ${e}, ${series[s].metric}${series[s].region ? ` ${series[s].region}` : ''} (rows out of the order \`run\` writes)`);
      }
      s++;
    }
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) fail(`value ${JSON.stringify(text)}; expected a finite number`);
    if (used === current.length) {
      chunks.push(current);
      current = new Float64Array(current.length * 2);
      used = 0;
    }
    current[used++] = value;
  };
  if (file.endsWith('.parquet')) {
    // "line" k + 1 of a Parquet file is its row k (after the header, line 1)
    lineNo = 1;
    forEachParquetRow(
      file,
      (header) => checkHeader(header.join(',')),
      (cells) => {
        lineNo++;
        take(cells);
      },
    );
  } else {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (lineNo === 1) checkHeader(line);
      else if (line !== '') take(splitLine(line));
    }
  }
  if (lineNo < 2) throw new UserError(`${file}: no rows; expected ${replicates} replicates`);
  if (epochCount < 0) epochCount = e + 1;
  const total = [...chunks, current].reduce((k, c) => k + c.length, 0) - (current.length - used);
  const S = series.length;
  if (total !== replicates * epochCount * S || s !== S) {
    throw new UserError(`${file}: ${r + (s === S && e === epochCount - 1 ? 1 : 0)} complete replicates; expected ${replicates} (the file is truncated or from another run)`);
  }
  // Rows are (r, e, s); store as (r, s, e) so each series of a replicate is contiguous.
  const rowMajor = new Float64Array(total);
  let at = 0;
  for (const c of chunks) {
    rowMajor.set(c, at);
    at += c.length;
  }
  rowMajor.set(current.subarray(0, used), at);
  chunks = [];
  const values = new Float64Array(total);
  const E = epochCount;
  for (let rr = 0; rr < replicates; rr++) {
    for (let ee = 0; ee < E; ee++) {
      const from = (rr * E + ee) * S;
      for (let ss = 0; ss < S; ss++) values[(rr * S + ss) * E + ee] = rowMajor[from + ss];
    }
  }
  return { replicates, epochCount: E, series, values };
}
