// Writes OUT/compare.html and OUT/figures/difference-*.svg, .png for a paired comparison.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { renderFigure } from './figure.ts';
import { compareFigureSpecs } from './compare-figures.ts';
import { compareHtml } from './compare-html.ts';
import { svgToPng } from './png.ts';
import type { Comparison } from '../runner/compare.ts';

export async function writeCompareReport(c: Comparison, outDir: string, options: { png?: boolean } = {}): Promise<string[]> {
  const figures = compareFigureSpecs(c).map(renderFigure);
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  const files: string[] = [];
  for (const f of figures) {
    await writeFileAtomic(join(outDir, 'figures', `${f.id}.svg`), f.svg);
    files.push(`figures/${f.id}.svg`);
    if (options.png ?? true) {
      await writeFileAtomic(join(outDir, 'figures', `${f.id}.png`), svgToPng(f.svg));
      files.push(`figures/${f.id}.png`);
    }
  }
  await writeFileAtomic(join(outDir, 'compare.html'), compareHtml(c, figures, outDir));
  files.push('compare.html');
  return files;
}
