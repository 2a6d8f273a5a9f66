// SVG to PNG with resvg and the font shipped in assets/fonts (resvg draws no text without a font,
// and system fonts would make the pixels depend on the machine, so they are not loaded).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const FONT_FAMILY = 'DejaVu Sans';
/** Device pixels per SVG pixel: sharp on high-density screens and in slides. */
export const PNG_SCALE = 2;

/** assets/fonts/DejaVuSans.ttf from the source tree (src/report) or a bundle (dist). */
export function fontFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'assets', 'fonts', 'DejaVuSans.ttf'), join(here, '..', 'assets', 'fonts', 'DejaVuSans.ttf')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`the report font is missing; expected it at ${candidates[0]}`);
  return found;
}

/** Renders a standalone SVG document to PNG bytes; the same SVG always gives the same bytes. */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: false, fontFiles: [fontFile()], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY, serifFamily: FONT_FAMILY, monospaceFamily: FONT_FAMILY },
    background: 'white',
  });
  return resvg.render().asPng();
}
