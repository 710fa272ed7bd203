/**
 * What the PWA's first paint loads, attributed by source map: build with
 * source maps into a temporary folder, then sum each mapping's generated span
 * by its source over the entry chunk and its static imports (the files
 * bench/cases/weight.ts counts as first-paint JS), grouped by package.
 *
 *   npx vite build -c pwa/vite.config.ts --sourcemap true --outDir /tmp/fp-sm --emptyOutDir
 *   npx tsx bench/profile/first-paint-attribution.ts /tmp/fp-sm [--files]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '@jridgewell/sourcemap-codec';
import { loadedFrom, type Manifest } from '../cases/weight.ts';

const dir = process.argv[2] ?? '/tmp/fp-sm';
const perFile = process.argv.includes('--files');
const manifest = JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8')) as Manifest;
const { js } = loadedFrom(manifest, false);

/** A package's name from a source path (node_modules/<pkg> or <@scope/pkg>), else the app's path. */
function groupOf(source: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (match && !(perFile && match[1] === "vant")) return match[1]!;
  return perFile ? source.replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, '') : source.replace(/^(\.\.\/)+/, '').split('/').slice(0, 3).join('/');
}

const totals = new Map<string, number>();
let all = 0;
for (const file of js) {
  const code = readFileSync(join(dir, file), 'utf8');
  all += code.length;
  if (!existsSync(join(dir, `${file}.map`))) {
    totals.set(`(no map) ${file}`, code.length);
    continue;
  }
  const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[]; mappings: string };
  const lines = code.split('\n');
  const decoded = decode(map.mappings);
  decoded.forEach((segments, line) => {
    const length = lines[line]?.length ?? 0;
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.[0] ?? length;
      const source = segment.length > 1 ? map.sources[segment[1]!]! : '(unmapped)';
      const key = groupOf(source);
      totals.set(key, (totals.get(key) ?? 0) + end - segment[0]);
    });
  });
}
console.log(`first-paint files: ${js.length}, ${all} characters`);
for (const [key, size] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, perFile ? 80 : 40)) console.log(String(size).padStart(8), key);
