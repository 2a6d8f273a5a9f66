// A report figure: one Observable Plot chart rendered headless (linkedom), framed with its title,
// legend and caption into a standalone SVG (for figures/*.svg and the PNG) and an inline SVG (for
// report.html, where the title and caption are HTML).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface LegendItem {
  label: string;
  color: string;
  /** how the swatch is drawn: a line (a median), a band (an interval), a dashed rule */
  kind: 'line' | 'band' | 'dash' | 'dot';
  opacity?: number;
}

export interface Figure {
  /** file stem under figures/ and the HTML anchor */
  id: string;
  title: string;
  caption: string;
  /** standalone SVG document: title, legend, chart and caption */
  svg: string;
  /** the legend and chart alone, for inlining in HTML */
  inlineSvg: string;
  width: number;
  height: number;
}

export interface FigureSpec {
  id: string;
  title: string;
  caption: string;
  legend?: LegendItem[];
  /** Observable Plot options; `document`, `width` are filled in */
  plot: Plot.PlotOptions;
  /** further charts stacked below `plot`, each with its own scales (panels of different ranges) */
  panels?: Plot.PlotOptions[];
}

export const FIGURE_WIDTH = 760;
const PAD = 12;
const TITLE_SIZE = 15;
const CAPTION_SIZE = 11;
const LEGEND_ROW = 18;
/** average advance of a DejaVu Sans glyph, in ems, for wrapping captions and laying out legends */
const EM_ADVANCE = 0.58;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function textWidth(text: string, size: number): number {
  return text.length * size * EM_ADVANCE;
}

/** Legend swatches laid out left to right, wrapping; returns the markup and its height. */
function legendMarkup(items: LegendItem[], width: number): { markup: string; height: number } {
  if (items.length === 0) return { markup: '', height: 0 };
  const parts: string[] = [];
  let x = PAD;
  let y = 0;
  for (const item of items) {
    const w = 22 + textWidth(item.label, CAPTION_SIZE) + 16;
    if (x > PAD && x + w > width - PAD) {
      x = PAD;
      y += LEGEND_ROW;
    }
    const cy = y + LEGEND_ROW / 2;
    const swatch =
      item.kind === 'dot'
        ? `<circle cx="${x + 8}" cy="${cy}" r="3" fill="${item.color}"/>`
        : item.kind === 'band'
        ? `<rect x="${x}" y="${cy - 5}" width="16" height="10" fill="${item.color}" fill-opacity="${item.opacity ?? 0.3}"/>`
        : `<line x1="${x}" x2="${x + 16}" y1="${cy}" y2="${cy}" stroke="${item.color}" stroke-width="2"${item.kind === 'dash' ? ' stroke-dasharray="4,3"' : ''}/>`;
    parts.push(`${swatch}<text x="${x + 22}" y="${cy + 4}" font-size="${CAPTION_SIZE}">${escapeXml(item.label)}</text>`);
    x += w;
  }
  return { markup: `<g aria-label="legend">${parts.join('')}</g>`, height: y + LEGEND_ROW + 4 };
}

/** Renders a figure spec: the chart through Observable Plot, then its frame. */
export function renderFigure(spec: FigureSpec): Figure {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const width = FIGURE_WIDTH;
  const legend = legendMarkup(spec.legend ?? [], width);
  let bodyHeight = legend.height;
  const charts: string[] = [];
  for (const options of [spec.plot, ...(spec.panels ?? [])]) {
    const chart = Plot.plot({ ...options, width, document }) as unknown as { getAttribute(name: string): string | null; setAttribute(name: string, value: string): void; outerHTML: string };
    chart.setAttribute('y', String(bodyHeight));
    bodyHeight += Number(chart.getAttribute('height'));
    charts.push(chart.outerHTML);
  }
  const body = `${legend.markup}${charts.join('')}`;
  const inlineSvg = `<svg width="${width}" height="${bodyHeight}" viewBox="0 0 ${width} ${bodyHeight}" font-family="system-ui, sans-serif" role="img" aria-label="${escapeXml(spec.title)}">${body}</svg>`;

  const titleLines = wrap(spec.title, Math.floor((width - 2 * PAD) / (TITLE_SIZE * 0.62)));
  const captionLines = wrap(spec.caption, Math.floor((width - 2 * PAD) / (CAPTION_SIZE * EM_ADVANCE)));
  const titleHeight = PAD + titleLines.length * (TITLE_SIZE + 4) + 6;
  const captionTop = titleHeight + bodyHeight + 8;
  const height = Math.ceil(captionTop + captionLines.length * (CAPTION_SIZE + 4) + PAD);
  const title = titleLines.map((l, i) => `<text x="${PAD}" y="${PAD + TITLE_SIZE + i * (TITLE_SIZE + 4)}" font-size="${TITLE_SIZE}" font-weight="bold">${escapeXml(l)}</text>`).join('');
  const caption = captionLines.map((l, i) => `<text x="${PAD}" y="${captionTop + CAPTION_SIZE + i * (CAPTION_SIZE + 4)}" font-size="${CAPTION_SIZE}" fill="#333">${escapeXml(l)}</text>`).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" color="black">` +
    `<title>${escapeXml(spec.title)}</title><rect width="${width}" height="${height}" fill="white"/>${title}` +
    `<g transform="translate(0,${titleHeight})">${body}</g>${caption}</svg>\n`;
  return { id: spec.id, title: spec.title, caption: spec.caption, svg, inlineSvg, width, height };
}
