/**
 * index.html's font warm-up (pwa/scripts/font-warmup.ts): it lays out the app's own font list, read from
 * pwa/src/styles.css at build, and a build without that list fails rather than warming another font.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appFontList, fontWarmupScript } from '../../../pwa/scripts/font-warmup.ts';

const styles = readFileSync(new URL('../../../pwa/src/styles.css', import.meta.url), 'utf8');

describe("index.html's font warm-up", () => {
  it("takes body's --van-base-font from styles.css, whitespace folded", () => {
    const list = appFontList(styles);
    expect(list).toMatch(/^-apple-system, BlinkMacSystemFont, /);
    expect(list).toMatch(/'WenQuanYi Micro Hei', sans-serif$/);
    expect(list).not.toMatch(/\s{2}|\n/);
  });

  it('fails without the list on body', () => {
    expect(() => appFontList(':root { --van-base-font: Arial; }')).toThrow(/--van-base-font/);
  });

  it('lays the text out in that list, in a task of its own, and removes it', () => {
    const tasks: (() => void)[] = [];
    const appended: { style: Record<string, string>; spans: { style: Record<string, string> }[]; width: number; removed: boolean }[] = [];
    const element = () => {
      const node = {
        style: {} as Record<string, string>,
        spans: [] as { style: Record<string, string> }[],
        removed: false,
        width: 0,
        setAttribute: () => undefined,
        appendChild: (child: { style: Record<string, string> }) => node.spans.push(child),
        remove: () => (node.removed = true),
        get offsetWidth() {
          return (node.width += 1);
        },
        textContent: '',
      };
      return node;
    };
    const document = { createElement: element, documentElement: { appendChild: (box: (typeof appended)[number]) => appended.push(box) } };
    new Function('setTimeout', 'document', fontWarmupScript("'A', sans-serif"))((task: () => void) => tasks.push(task), document);
    expect(appended).toHaveLength(0);
    tasks.forEach((task) => task());
    expect(appended).toHaveLength(1);
    const [box] = appended;
    expect(box!.style.fontFamily).toBe("'A', sans-serif");
    expect(box!.width).toBe(1);
    expect(box!.removed).toBe(true);
    expect(new Set(box!.spans.map((span) => `${span.style.fontSize}/${span.style.fontWeight}`)).size).toBe(box!.spans.length);
  });
});
