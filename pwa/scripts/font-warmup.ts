/**
 * The font laid out while the app's files load: index.html's second inline script lays out, hidden
 * and at once removed, a few Chinese and Latin characters in the app's font list (body's
 * `--van-base-font`, read from pwa/src/styles.css at build) at the first screen's text sizes and
 * weights. A cold renderer loads a font per family, size and weight the first time text needs it
 * (the system's font matching, over IPC from the sandbox: 60–90 ms traced); done here, it runs in the
 * 100–250 ms the main thread otherwise waits for the service worker to hand over the app's CSS and JS,
 * not in the entry's task or the first screen's (bench/README.md "Cold start, part 6").
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** The first screen's text sizes (Vant's 12–16 px, the card's 13 and 15) and weights (Vant's bold is 600). */
const SIZES = [12, 13, 14, 15, 16];
const WEIGHTS = [400, 600];
/** Chinese and Latin, so that both the Chinese font and the Latin one are matched. */
const TEXT = '连心工单待办 0123456789 Aa';

/** The value of `--van-base-font` that pwa/src/styles.css sets on body. */
export function appFontList(stylesCss: string): string {
  const match = /body\s*\{[^}]*--van-base-font:\s*([^;]+);/.exec(stylesCss);
  if (!match) throw new Error('pwa/src/styles.css sets no --van-base-font on body: the font warm-up needs the app font list');
  return match[1]!.replace(/\s+/g, ' ').trim();
}

/** The inline script: in a task after the parser's, the element built, laid out (`offsetWidth`) and removed. */
export function fontWarmupScript(fontList: string): string {
  const data = JSON.stringify({ font: fontList, sizes: SIZES, weights: WEIGHTS, text: TEXT });
  return `
setTimeout(function () {
  try {
    var n = ${data};
    var box = document.createElement('div');
    box.setAttribute('data-font-warmup', '');
    box.setAttribute('aria-hidden', 'true');
    box.style.cssText = 'position:absolute;top:0;left:0;width:1px;overflow:hidden;visibility:hidden;white-space:nowrap';
    box.style.fontFamily = n.font;
    n.sizes.forEach(function (size) {
      n.weights.forEach(function (weight) {
        var span = document.createElement('span');
        span.style.fontSize = size + 'px';
        span.style.fontWeight = String(weight);
        span.textContent = n.text;
        box.appendChild(span);
      });
    });
    document.documentElement.appendChild(box);
    void box.offsetWidth;
    box.remove();
  } catch (e) {}
}, 0);
`;
}

/** Where index.html wants the script: right after the early read's. */
export const FONT_WARMUP_MARKER = '<!-- lianxin:font-warmup -->';

export function fontWarmup(stylesPath: string): Plugin {
  return {
    name: 'lianxin-font-warmup',
    transformIndexHtml: (html) => {
      if (!html.includes(FONT_WARMUP_MARKER)) throw new Error(`index.html has no ${FONT_WARMUP_MARKER} for the font warm-up`);
      return html.replace(FONT_WARMUP_MARKER, `<script>${fontWarmupScript(appFontList(readFileSync(stylesPath, 'utf8')))}</script>`);
    },
  };
}
