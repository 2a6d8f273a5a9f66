// The report as a user gets it: `run` writes it at the end (unless --no-report), `report DIR`
// rewrites it; every figure is a titled SVG and a PNG that decodes; PNGs, SVGs and the page are
// byte-identical across generations; the page is self-contained, and renders in headless Chromium
// without errors.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.ts';
import { figureSpecs } from '../../src/report/figures.ts';
import { readResults } from '../../src/report/results.ts';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { decodePng } from './png.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const BASELINE = join(ROOT, 'configs', 'baseline.json');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test-output', 'report.png');

const cli = cliRunner(120_000);
const tmp = tempDirs('hm-report-');

/** The figures every run's report has, with their titles. */
const FIGURES: Record<string, string> = {
  'regional-shares': 'Regional shares of running hashrate',
  'regional-shares-small': 'Regional shares: the smaller regions on their own axis',
  hhi: 'Concentration: Herfindahl–Hirschman index (HHI) over time',
  nakamoto: 'Concentration: Nakamoto coefficient over time',
  'network-hashrate': 'Network hashrate',
  hashprice: 'Hashprice',
  'decisions-capitulations': 'Decisions: capitulations per epoch',
  'decisions-relocations': 'Decisions: relocations by destination (cumulative)',
  'decisions-relocated-ehs': 'Decisions: hashrate relocated to each destination (cumulative, EH/s)',
  'decisions-ai': 'Decisions: MW pivoted to AI hosting',
  'cost-per-btc': 'Electricity cost per BTC by region against the BTC price',
  'cost-underwater': 'Cost per BTC: share of replicates in which a region mines at a loss on power',
};

/** An axis label in the figure's units, one per figure. */
const UNITS: Record<string, string> = {
  'regional-shares': 'share of hashrate (%)',
  'regional-shares-small': 'share of hashrate (%)',
  hhi: 'HHI of regions (0–10,000)',
  nakamoto: 'Nakamoto coefficient (count of regions)',
  'network-hashrate': 'running hashrate (EH/s)',
  hashprice: 'hashprice (USD per PH/s per day)',
  'decisions-capitulations': 'operators per epoch',
  'decisions-relocations': 'relocations since start (operators, expected)',
  'decisions-relocated-ehs': 'hashrate moved since start (EH/s)',
  'decisions-ai': 'IT load at AI sites (MW)',
  'cost-per-btc': 'USD per BTC',
  'cost-underwater': 'replicates underwater (%)',
};

let runDir = '';
let sweepDir = '';
let runStdout = '';
let sweepStdout = '';

beforeAll(() => {
  runDir = join(tmp(), 'tiny');
  const run = cli('run', TINY, '--out', runDir, '--workers', '2', '--progress', 'none', '--no-summary');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  runStdout = run.stdout;

  const config = join(tmp(), 'tiny-sweep.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: BASELINE,
      name: 'tiny-sweep',
      replicates: 3,
      overrides: { 'model.operators.count': 100, 'model.horizon.endDate': '2026-09-30' },
      sweep: { design: 'grid', points: 3, parameters: [{ path: 'model.regions.us.powerPrice.meanUsdPerKwh', min: 0.03, max: 0.09 }] },
    }),
  );
  sweepDir = join(tmp(), 'sweep');
  const sweep = cli('run', config, '--out', sweepDir, '--workers', '2', '--progress', 'none', '--no-summary', '--no-report');
  expect(sweep.stderr).toBe('');
  expect(sweep.status).toBe(0);
  sweepStdout = sweep.stdout;
});

describe('hashmigrate run', () => {
  it('writes report.html and figures/ at the end by default, and says so', () => {
    expect(runStdout).toMatch(new RegExp(`wrote ${join(runDir, 'report.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and ${Object.keys(FIGURES).length} figures`));
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    for (const id of Object.keys(FIGURES)) {
      expect(existsSync(join(runDir, 'figures', `${id}.svg`))).toBe(true);
      expect(existsSync(join(runDir, 'figures', `${id}.png`))).toBe(true);
    }
  });

  it('skips the report with --no-report', () => {
    expect(sweepStdout).not.toContain('report.html');
    expect(existsSync(join(sweepDir, 'report.html'))).toBe(false);
    expect(existsSync(join(sweepDir, 'figures'))).toBe(false);
  });
});

describe('report figures', () => {
  it('has exactly the expected figures, as SVG and PNG', () => {
    const names = readdirSync(join(runDir, 'figures')).sort();
    expect(names).toEqual(Object.keys(FIGURES).flatMap((id) => [`${id}.png`, `${id}.svg`]).sort());
  });

  it('titles each SVG, labels its axis in units and captions it', () => {
    for (const [id, title] of Object.entries(FIGURES)) {
      const svg = readFileSync(join(runDir, 'figures', `${id}.svg`), 'utf8');
      const escaped = title.replace(/&/g, '&amp;');
      expect(svg, id).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
      expect(svg, id).toContain(`<title>${escaped}</title>`);
      expect(svg, id).toContain(`font-weight="bold">${escaped}</text>`);
      expect(svg, id).toContain(UNITS[id]);
      expect(svg, id).toContain('epochs.csv');
    }
  });

  it('marks the HHI thresholds of the 2010 and 2023 US merger guidelines, named, with regions and operators in separate panels', () => {
    const svg = readFileSync(join(runDir, 'figures', 'hhi.svg'), 'utf8');
    expect(svg).toContain('2010 guidelines: 1,500 moderately concentrated');
    expect(svg).toContain('2010 guidelines: 2,500 highly concentrated');
    expect(svg).toContain('2023 guidelines: 1,800 highly concentrated');
    expect(svg).toContain('HHI of operators (0–10,000)');
    const nakamoto = readFileSync(join(runDir, 'figures', 'nakamoto.svg'), 'utf8');
    expect(nakamoto).toContain('Nakamoto coefficient (count of operators)');
  });

  it('draws cost per BTC in a panel per region on a log axis with every tick labelled, and the share of replicates underwater', () => {
    const svg = readFileSync(join(runDir, 'figures', 'cost-per-btc.svg'), 'utf8');
    expect(svg).toContain('USD per BTC (log scale)');
    expect(svg).toMatch(/>\$\d+k</);
    const under = readFileSync(join(runDir, 'figures', 'cost-underwater.svg'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    for (const r of manifest.config.model.regions) {
      expect(svg, r.id).toContain(`${r.name} (${r.id})`);
      expect(under, r.id).toContain(`${r.name} (${r.id})`);
    }
    expect(under).toContain('epochs.csv, metric underwater');
    expect(under).toContain("Wilson's score interval");
  });

  it('draws the smaller regions again on their own axis, and relocations in EH/s with bands', () => {
    const svg = readFileSync(join(runDir, 'figures', 'regional-shares-small.svg'), 'utf8');
    expect(svg).toContain('Paraguay (py)');
    expect(svg).not.toContain('United States (us)');
    const moved = readFileSync(join(runDir, 'figures', 'decisions-relocated-ehs.svg'), 'utf8');
    expect(moved).toContain('relocated_ehs_cumulative');
    expect(moved).toContain('90% interval (p05–p95)');
  });

  it('renders each PNG at twice the SVG size, decodable and not blank', () => {
    for (const id of Object.keys(FIGURES)) {
      const svg = readFileSync(join(runDir, 'figures', `${id}.svg`), 'utf8');
      const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
      const png = decodePng(readFileSync(join(runDir, 'figures', `${id}.png`)));
      expect([png.width, png.height], id).toEqual([2 * Number(w), 2 * Number(h)]);
      // a blank image has one or two byte values; a chart with antialiased text and lines has many
      const seen = new Uint8Array(256);
      for (let i = 0; i < png.scanlines.length; i += 7) seen[png.scanlines[i]] = 1;
      expect(seen.reduce((n, v) => n + v, 0), id).toBeGreaterThan(50);
    }
  });

  it('writes byte-identical PNGs, SVGs and HTML for the same results, in another process too', async () => {
    const copies = [join(tmp(), 'a'), join(tmp(), 'b')];
    for (const dir of copies) {
      mkdirSync(dir);
      for (const f of ['epochs.csv', 'replicates.csv', 'manifest.json']) copyFileSync(join(runDir, f), join(dir, f));
      await writeReport(dir);
    }
    const files = ['report.html', ...readdirSync(join(runDir, 'figures')).map((f) => `figures/${f}`)];
    for (const f of files) {
      const original = readFileSync(join(runDir, f));
      expect(readFileSync(join(copies[0], f)).equals(original), f).toBe(true);
      expect(readFileSync(join(copies[1], f)).equals(original), f).toBe(true);
    }
  });
});

describe('report.html', () => {
  it('is self-contained: no script, stylesheet link, external reference or web font', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    expect(html.match(/\bhref="([^"]*)"/g)!.every((h) => /^href="(#|figures\/)/.test(h))).toBe(true);
    expect(html.match(/<figure /g)).toHaveLength(Object.keys(FIGURES).length);
  });

  it('gives each key number\'s mean with its Monte Carlo error (1.96 se_mean from epochs.csv)', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('<th>mean ± Monte Carlo error (95%, 1.96 se_mean)</th>');
    const epochs = readFileSync(join(runDir, 'epochs.csv'), 'utf8').trim().split('\n');
    const header = epochs[0].split(',');
    const last = epochs.filter((l) => l.startsWith('hhi_region,')).pop()!.split(',');
    const se = Number(last[header.indexOf('se_mean')]);
    expect(se).toBeGreaterThan(0);
    const hhiRow = html.split('<tr>').find((r) => r.includes('<code>hhi_region</code>'))!;
    expect(hhiRow).toContain(` ± ${new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(1.96 * se)}</td>`);
  });

  it('opens with the question, the description and the provenance of manifest.json', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const body = html.slice(html.indexOf('<body>'));
    expect(body.indexOf(esc(manifest.question))).toBeLessThan(body.indexOf('<h2>'));
    expect(body.indexOf(esc(manifest.description))).toBeLessThan(body.indexOf('<h2>'));
    for (const value of [manifest.configSha256, String(manifest.seedScheme.rootSeed), manifest.software.version, manifest.software.gitCommit]) expect(html).toContain(value);
  });

  it('gives the last epoch\'s median and 90% interval as in epochs.csv', () => {
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    const lines = readFileSync(join(runDir, 'epochs.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    const last = Math.max(...rows.map((r) => Number(r[header.indexOf('epoch')])));
    const row = rows.find((r) => r[0] === 'hhi_region' && Number(r[2]) === last)!;
    const fmt = (v: string) => {
      const n = Number(v);
      return Math.abs(n) >= 1000 ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n) : new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(n);
    };
    const p = (name: string) => fmt(row[header.indexOf(name)]);
    expect(html).toContain(`<td>HHI of regions</td><td>0–10,000</td><td class="num">${p('p50')}</td><td class="num">${p('p05')} – ${p('p95')}</td>`);
    expect(html).toContain(`Last epoch ${last} `);
  });
});

describe('hashmigrate report DIR', () => {
  it('plots the final epoch against each swept parameter, and writes the chosen point to a page of its own', () => {
    expect(cli('report', sweepDir).status).toBe(0);
    const page0 = readFileSync(join(sweepDir, 'report.html'), 'utf8');
    const r = cli('report', sweepDir, '--point', '1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote \S+report-point-1\.html and \d+ figures in \S+figures\/point-1 /);
    const names = readdirSync(join(sweepDir, 'figures', 'point-1'));
    for (const metric of ['hhi-region', 'nakamoto-region', 'top3-share-region', 'hashrate-ehs']) {
      const svg = readFileSync(join(sweepDir, 'figures', 'point-1', `sweep-1-${metric}.svg`), 'utf8');
      expect(svg).toContain('against model.regions.us.powerPrice.meanUsdPerKwh');
      expect(names).toContain(`sweep-1-${metric}.png`);
    }
    const html = readFileSync(join(sweepDir, 'report-point-1.html'), 'utf8');
    expect(html).toContain('of sweep point 1 (model.regions.us.powerPrice.meanUsdPerKwh = 0.06)');
    // the browser tab says which point the page is
    expect(html).toContain('<title>hashmigrate report: tiny-sweep, sweep point 1 (model.regions.us.powerPrice.meanUsdPerKwh = 0.06)</title>');
    expect(html).toContain('href="figures/point-1/sweep-1-hashrate-ehs.svg"');
    // report.html (point 0) is left as it was
    expect(readFileSync(join(sweepDir, 'report.html'), 'utf8')).toBe(page0);
    expect(page0).toContain('of sweep point 0 (');
    expect(page0).toContain('<title>hashmigrate report: tiny-sweep, sweep point 0 (model.regions.us.powerPrice.meanUsdPerKwh = 0.03)</title>');
  });

  it('labels the swept parameter with its unit, joins a one-parameter grid and leaves a Latin hypercube a scatter, padded', async () => {
    const grid = figureSpecs(readResults(sweepDir)).find((f) => f.id === 'sweep-1-hhi-region')!;
    expect(grid.plot.x).toMatchObject({ label: 'model.regions.us.powerPrice.meanUsdPerKwh (USD/kWh)' });
    expect(grid.plot.marks).toHaveLength(3);
    // the same points read as a Latin hypercube: no line between them
    const dir = join(tmp(), 'lhs');
    mkdirSync(dir);
    for (const f of ['epochs.csv', 'replicates.csv']) copyFileSync(join(sweepDir, f), join(dir, f));
    const manifest = JSON.parse(readFileSync(join(sweepDir, 'manifest.json'), 'utf8'));
    manifest.sweep.design = 'lhs';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const lhs = figureSpecs(readResults(dir)).find((f) => f.id === 'sweep-1-hhi-region')!;
    expect(lhs.plot.marks).toHaveLength(2);
    expect(lhs.caption).toContain('not joined');
    // the y domain holds every band with room to spare
    const [lo, hi] = (lhs.plot.y as { domain: [number, number] }).domain;
    const finals = readResults(dir).finals;
    for (const [, rows] of finals) {
      const row = rows.get('hhi_region|')!;
      expect(lo).toBeLessThan(row.p05);
      expect(hi).toBeGreaterThan(row.p95);
    }
  });

  it('--point all writes one page per sweep point', () => {
    const r = cli('report', sweepDir, '--point', 'all');
    expect(r.status).toBe(0);
    const pages = readdirSync(sweepDir).filter((f) => /^report-point-\d+\.html$/.test(f)).sort();
    const points = JSON.parse(readFileSync(join(sweepDir, 'manifest.json'), 'utf8')).sweep.points.length;
    expect(pages).toEqual(Array.from({ length: points }, (_, p) => `report-point-${p}.html`).sort());
    const titles = pages.map((f) => /<title>(.*)<\/title>/.exec(readFileSync(join(sweepDir, f), 'utf8'))?.[1]);
    expect(new Set(titles).size).toBe(points);
    for (const [i, f] of pages.entries()) expect(titles[i]).toContain(`, sweep point ${/\d+/.exec(f)![0]} (`);
    // a run without a sweep keeps its title
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain(`<title>hashmigrate report: ${JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')).name}</title>`);
    expect(cli('report', runDir, '--point', 'all').stderr).toMatch(/--point: "all" is not valid \(expected a run with a sweep; this one has none\)/);
  });

  it('exits 2 with one line naming file, line, column and value for a corrupt epochs.csv', () => {
    const dir = join(tmp(), 'corrupt');
    mkdirSync(dir);
    copyFileSync(join(runDir, 'manifest.json'), join(dir, 'manifest.json'));
    const text = readFileSync(join(runDir, 'epochs.csv'), 'utf8').split('\n');
    const maxColumn = text[0].split(',').indexOf('max');
    text[5] = text[5].split(',').map((cell, i) => (i === maxColumn ? 'oops' : cell)).join(',');
    writeFileSync(join(dir, 'epochs.csv'), text.join('\n'));
    const corrupt = cli('report', dir);
    expect(corrupt.status).toBe(2);
    expect(corrupt.stderr).toMatch(/^hashmigrate: \S+epochs\.csv: line 6: max: "oops" is not a finite number\n$/);
  });
});

describe('report.html in headless Chromium', () => {
  it('renders every figure with a non-empty size, logs no errors, loads nothing from the network', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: this test opens report.html in Debian's chromium; install it with \`apt-get install -y chromium\` (.ci/run does)`);
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(join(runDir, 'report.html')).href, { waitUntil: 'load' });
      const figures = await page.$$eval('figure', (els) =>
        els.map((f) => {
          const svg = f.querySelector(':scope > svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.id, title: f.querySelector('h3')?.textContent, width: box?.width ?? 0, height: box?.height ?? 0, texts: svg?.querySelectorAll('text').length ?? 0 };
        }),
      );
      expect(figures.map((f) => f.id).sort()).toEqual(Object.keys(FIGURES).sort());
      for (const f of figures) {
        expect(f.title, f.id).toBe(FIGURES[f.id]);
        expect(f.width, f.id).toBeGreaterThan(100);
        expect(f.height, f.id).toBeGreaterThan(100);
        expect(f.texts, f.id).toBeGreaterThan(3);
      }
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(decodePng(readFileSync(SCREENSHOT)).height).toBeGreaterThan(2000);

      // each PNG file opens as an image of its own size
      for (const id of Object.keys(FIGURES)) {
        await page.goto(pathToFileURL(join(runDir, 'figures', `${id}.png`)).href);
        const width = await page.$eval('img', (img) => (img as HTMLImageElement).naturalWidth);
        expect(width, id).toBeGreaterThan(0);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
