/**
 * Case 10 — the knowledge base (知识库) at the scale the centres report:
 * 40,000 entries (demo/knowledge `scaledKnowledge`: the demo's 300 and
 * seeded variants of them), indexed with pinyin (pinyin-pro), in Node on the
 * shared code the worker runs (shared/knowledge/search.ts):
 * - build: the index from the entries (a server or admin step: devices load
 *   it prebuilt), once per bench run;
 * - size: the saved index (`save()`, what a device stores beside the entries),
 *   and the entries themselves as JSON and gzipped;
 * - cold load: a fresh Node process reads the saved bytes, imports the
 *   pinyin provider, loads the index and answers one query — "ready";
 * - search p50 / p95, warm: the 136 labelled queries (tests/shared/knowledge/
 *   queries.ts), each once per run after one untimed pass, with the validity
 *   filter a device applies (`now`), top 10;
 * - update: in that cold process, after its first search, 100 changed
 *   entries put into the index and a search answered, as a sync of 100
 *   changes does on a device (the network and IndexedDB are not included).
 * Baseline in the same run: a plain substring scan — each entry's title,
 * questions, tags and answer in one string, the query searched with
 * `includes`, the first 10 kept — over the same entries and queries; for the
 * size, the entries' JSON; for the update, loading the whole index again
 * (the same process's load).
 * Quick mode: 2,000 entries.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { KnowledgeIndex, buildIndex, normalise } from '#shared/knowledge/search.ts';
import { DEMO_SYNONYMS, scaledKnowledge } from '#demo/knowledge/generate.ts';
import { QUERIES } from '../../tests/shared/knowledge/queries.ts';
import { FigureSamples, type BenchCase } from '../lib/case.ts';
import { quantile } from '../lib/stats.ts';

const NOW = Date.UTC(2026, 11, 1);
const MB = 1_000_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * In a new process, as a device's worker: import the search and the pinyin
 * provider, read the bytes, load, answer one query ("ready"); then apply 100
 * changed entries (read from a file before the clock starts) and answer
 * again ("update": cold code, as a sync that arrives while the app runs).
 */
const COLD_SCRIPT = `
const t0 = performance.now();
const { KnowledgeIndex } = await import(${JSON.stringify(new URL('../../shared/knowledge/search.ts', import.meta.url).href)});
const { PINYIN } = await import(${JSON.stringify(new URL('../../shared/knowledge/pinyin.ts', import.meta.url).href)});
const { readFileSync } = await import('node:fs');
const t1 = performance.now();
const index = KnowledgeIndex.load(new Uint8Array(readFileSync(process.argv[1])), PINYIN);
const hits = index.search('公租房怎么申请', { now: ${NOW} }, 10).hits.length;
const t2 = performance.now();
const changed = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const t3 = performance.now();
for (const entry of changed) index.put(entry);
index.search('公租房怎么申请', { now: ${NOW} }, 10);
const t4 = performance.now();
console.log(JSON.stringify({ imports: t1 - t0, ready: t2 - t1, update: t4 - t3, hits, size: index.size }));
`;

interface ColdRun {
  readonly imports: number;
  readonly ready: number;
  readonly update: number;
  readonly size: number;
}

function coldLoad(file: string, changedFile: string): ColdRun {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', COLD_SCRIPT, file, changedFile], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ColdRun;
}

/** The floor: one string per entry, searched with `includes`. */
function substringScan(haystacks: readonly string[], ids: readonly string[], query: string): string[] {
  const q = normalise(query.trim());
  const found: string[] = [];
  for (let i = 0; i < haystacks.length && found.length < 10; i++) if (haystacks[i]?.includes(q)) found.push(ids[i] ?? '');
  return found;
}

function timed<T>(fn: () => T): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export const knowledge: BenchCase = {
  id: 'knowledge',
  title: '10 knowledge base',
  async run(context) {
    const count = context.quick ? 2_000 : 40_000;
    context.log(`generating ${count} entries`);
    const entries = scaledKnowledge({ now: NOW, count });
    const entriesJson = JSON.stringify(entries);
    const entriesBytes = Buffer.byteLength(entriesJson);
    const entriesGzip = gzipSync(entriesJson).length;
    const haystacks = entries.map((e) => normalise([e.title, ...e.questions, ...e.tags, e.answer].join('\n')));
    const ids = entries.map((e) => e.id);

    context.log('building the index (with pinyin)');
    const build = new FigureSamples('index build', 's', 'lower', { baselineLabel: 'joining each entry into one string for the scan', note: `${count.toLocaleString('en')} entries, with pinyin; a server or admin step (devices load it prebuilt)` });
    let index = new KnowledgeIndex(PINYIN);
    build.add(
      timed(() => (index = buildIndex(entries, { pinyin: PINYIN, synonyms: DEMO_SYNONYMS }))) / 1000,
      timed(() => entries.map((e) => normalise([e.title, ...e.questions, ...e.tags, e.answer].join('\n')))) / 1000,
    );
    const bytes = index.save();
    const dir = mkdtempSync(join(tmpdir(), 'lianxin-knowledge-'));
    const file = join(dir, 'index.bin');
    const changedFile = join(dir, 'changed.json');
    writeFileSync(file, bytes);

    const size = new FigureSamples('saved index', 'MB', 'lower', { baselineLabel: 'the entries as JSON', note: `entries gzipped: ${(entriesGzip / MB).toFixed(1)} MB; device storage = index + entries` });
    size.add(bytes.length / MB, entriesBytes / MB);
    const cold = new FigureSamples('cold: load + first search', 'ms', 'lower', { baselineLabel: 'JSON.parse of the entries (what the scan needs first)', note: 'a new Node process; module imports (search, pinyin-pro) not included, reported in setup' });
    const p50 = new FigureSamples('search p50, warm', 'ms', 'lower', { baselineLabel: 'substring scan p50' });
    const p95 = new FigureSamples('search p95, warm', 'ms', 'lower', { baselineLabel: 'substring scan p95', note: `${QUERIES.length} labelled queries, top 10, validity filter` });
    const update = new FigureSamples('100 changed entries applied', 'ms', 'lower', { baselineLabel: 'loading the whole index again', note: 'in the cold process after its first search: put × 100 and a search; network and IndexedDB not included' });
    let imports = 0;
    try {
      for (let run = 0; run < context.runs; run++) {
        context.log(`run ${run + 1}: cold load and update`);
        const changed: KnowledgeEntry[] = Array.from({ length: 100 }, (_, i) => {
          const e = entries[(i * 397 + run) % entries.length] as KnowledgeEntry;
          return { ...e, title: `${e.title}（${run + 1}次修订）`, answer: `${e.answer}（已更新）`, version: e.version + 1 + run };
        });
        writeFileSync(changedFile, JSON.stringify(changed));
        const c = coldLoad(file, changedFile);
        if (c.size !== index.size) throw new Error(`the loaded index has ${c.size} entries, not ${index.size}`);
        imports = c.imports;
        cold.add(c.ready, timed(() => JSON.parse(entriesJson) as unknown));
        update.add(c.update, c.ready);

        context.log(`run ${run + 1}: search`);
        const loaded = KnowledgeIndex.load(bytes, PINYIN);
        for (const q of QUERIES) loaded.search(q.query, { now: NOW }, 10);
        for (const q of QUERIES) substringScan(haystacks, ids, q.query);
        const ours = QUERIES.map((q) => timed(() => loaded.search(q.query, { now: NOW }, 10)));
        const scan = QUERIES.map((q) => timed(() => substringScan(haystacks, ids, q.query)));
        p50.add(quantile(ours, 0.5), quantile(scan, 0.5));
        p95.add(quantile(ours, 0.95), quantile(scan, 0.95));

      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      setup: `${count.toLocaleString('en')} entries (${(entriesBytes / MB).toFixed(1)} MB as JSON, ${(entriesGzip / MB).toFixed(1)} MB gzipped); index ${(bytes.length / MB).toFixed(1)} MB; module imports in the cold process ${imports.toFixed(0)} ms`,
      figures: [build.figure(), size.figure(), cold.figure(), p50.figure(), p95.figure(), update.figure()],
    };
  },
};
