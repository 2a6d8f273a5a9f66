import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { priceTercilesHtml } from '../../src/report/price-terciles.ts';
import type { Results } from '../../src/report/results.ts';

const dir = mkdtempSync(join(os.tmpdir(), 'hm-terciles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('price terciles table', () => {
  it('splits replicates by their last-epoch BTC price and gives each tercile its median', () => {
    // prices 10 … 90: terciles cut at 36.67 and 63.33 (type 7 quantiles), 3 replicates each;
    // hashrate rises with the price: medians 200, 500, 800
    const rows = [10, 20, 30, 40, 50, 60, 70, 80, 90].map((price, r) => `${r},d,${price},${price * 10},0.5`);
    writeFileSync(join(dir, 'replicates.csv'), ['replicate,seed_digest,final_btc_price_usd,final_hashrate_ehs,final_share_us', ...rows].join('\n') + '\n');
    const html = priceTercilesHtml({ dir, point: null } as Results);
    expect(html).toContain('BTC ≤ 36.7 USD, 3 replicates');
    expect(html).toContain('BTC 36.7 – 63.3 USD, 3 replicates');
    expect(html).toContain('BTC &gt; 63.3 USD, 3 replicates');
    const hashrateRow = html.split('<tr>').find((r) => r.includes('final_hashrate_ehs'))!;
    expect([...hashrateRow.matchAll(/<td class="num">([\d,.]+) /g)].map((m) => m[1])).toEqual(['200', '500', '800']);
    expect(html).toContain('Share of us, %');
  });

  it('is left out without replicates.csv or with fewer than 3 replicates', () => {
    expect(priceTercilesHtml({ dir: join(dir, 'none'), point: null } as Results)).toBe('');
    writeFileSync(join(dir, 'replicates.csv'), 'replicate,seed_digest,final_btc_price_usd\n0,d,1\n1,d,2\n');
    expect(priceTercilesHtml({ dir, point: null } as Results)).toBe('');
  });
});
