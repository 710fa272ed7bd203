/**
 * Bench case 7 attributes the PWA's scripts from Vite's build manifest: the
 * first paint is the entry and what it imports statically (index.html loads
 * and modulepreloads exactly these); lazy chunks, and what only they import,
 * come later, by the end of warming.
 */
import { describe, expect, it } from 'vitest';
import { loadedFrom, type Manifest } from '#bench/cases/weight.ts';

const manifest: Manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_vendor.js'], dynamicImports: ['src/pages/MePage.vue', 'workbox-window.mjs'], css: ['assets/index.css'] },
  '_vendor.js': { file: 'assets/vendor.js', css: ['assets/vendor.css'] },
  'src/pages/MePage.vue': { file: 'assets/MePage.js', imports: ['_vendor.js', 'index.html', '_style.js'], css: ['assets/MePage.css'] },
  '_style.js': { file: 'assets/style.js', imports: ['_vendor.js'], css: ['assets/style.css'] },
  'workbox-window.mjs': { file: 'assets/workbox-window.js' },
};

describe('bench case 7: what loads when', () => {
  it('counts the entry and its static imports, with their CSS, as the first paint', () => {
    expect(loadedFrom(manifest, false)).toEqual({ js: ['assets/index.js', 'assets/vendor.js'], css: ['assets/index.css', 'assets/vendor.css'] });
  });

  it('adds lazy chunks and what only they import by the end of warming, each file once', () => {
    const { js, css } = loadedFrom(manifest, true);
    expect([...js].sort()).toEqual(['assets/MePage.js', 'assets/index.js', 'assets/style.js', 'assets/vendor.js', 'assets/workbox-window.js']);
    expect([...css].sort()).toEqual(['assets/MePage.css', 'assets/index.css', 'assets/style.css', 'assets/vendor.css']);
  });
});
