/**
 * Case 10 — the knowledge base (知识库) at the scale the centres report:
 * 40,000 entries (demo/knowledge `scaledKnowledge`: the demo's 300 and
 * seeded variants of them), indexed with pinyin (pinyin-pro).
 *
 * In Node, on the shared code the worker runs (shared/knowledge/search.ts):
 * - terms: each entry's search terms (`entryTerms`, tokens and pinyin), what
 *   the server computes once at import; then the index built from the terms
 *   (what a device does at its first sync), once per bench run;
 * - size: the saved index (`save()`, what a device stores beside the entries),
 *   and the entries themselves as JSON and gzipped;
 * - cold load: a fresh Node process reads the saved bytes, imports the
 *   pinyin provider, loads the index and answers one query — "ready";
 * - search p50 / p95, warm: the 136 labelled queries (tests/shared/knowledge/
 *   queries.ts), each once per run after one untimed pass, with the validity
 *   filter a device applies (`now`), top 10;
 * - update: in that cold process, after its first search, 100 changed
 *   entries put into the index from their terms (`putTerms`, as the feed
 *   brings them) and a search answered; and, in another cold process, the
 *   same from their text (`put`: tokens and pinyin-pro on the device, the
 *   path before the terms moved to the server).
 *
 * In Chromium (playwright-core, /usr/bin/chromium), the device as the PWA
 * runs it: bench/lib/page/knowledge.ts pulls the change feed into the app's
 * Dexie database (`pullKnowledge`) and talks to the PWA's own worker
 * (pwa/src/knowledge/worker.ts, bundled as it is); the feed is served by this
 * case (the server's JSON with terms, gzipped, pages of 2,000):
 * - device storage after the first sync: `navigator.storage.estimate()`;
 * - index ready after a cold start: Chromium relaunched on the profile, from
 *   navigation start to the worker's `refresh` reply (saved index read,
 *   gunzipped, loaded, caught up);
 * - search p50 / p95 from the warm page: `find` round trips (index, the hits'
 *   entries read from their packs, highlight), the 136 queries;
 * - 100 changed entries, server to searchable: pull (GET, apply), refresh,
 *   and a search that finds a changed entry.
 * Baseline in the same run: a plain substring scan — each entry's title,
 * questions, tags and answer in one string, the query searched with
 * `includes`, the first 10 kept — over the same entries and queries (in Node,
 * and in the page for the browser's search); for the size, the entries' JSON;
 * for the Node update, loading the whole index again; in the browser, for the
 * ready time a blank page of the origin reading the saved index's row with the
 * raw IndexedDB API (another cold relaunch), for the update one plain GET of the
 * same bytes.
 * Quick mode: 1,000 entries in Node, 300 in the browser.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { KnowledgeIndex, normalise } from '#shared/knowledge/search.ts';
import { entryTerms, TERMS_VERSION } from '#shared/knowledge/terms.ts';
import { DEMO_SYNONYMS, scaledKnowledge } from '#demo/knowledge/generate.ts';
import { sendLargeJson } from '#server/http/http.ts';
import { KNOWLEDGE_PAGE } from '#server/http/knowledge-routes.ts';
import { QUERIES } from '../../tests/shared/knowledge/queries.ts';
import { launchPhone, type Phone } from '../../tests/e2e/pwa/fixtures.ts';
import { envCount, FigureSamples, type BenchCase, type Figure } from '../lib/case.ts';
import { moduleScript, pageScript } from '../lib/pwa.ts';
import { quantile } from '../lib/stats.ts';

const NOW = Date.UTC(2026, 11, 1);
const MB = 1_000_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * In a new process, as a device's worker: import the search and the pinyin
 * provider, read the bytes, load, answer one query ("ready"); then apply 100
 * changed entries (read from a file before the clock starts) and answer
 * again ("update": cold code, as a sync that arrives while the app runs),
 * from their terms (argv[3] = 'terms') or from their text ('text').
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
if (process.argv[3] === 'terms') for (const { entry, terms } of changed) index.putTerms(entry, terms);
else for (const { entry } of changed) index.put(entry);
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

function coldLoad(file: string, changedFile: string, how: 'terms' | 'text'): ColdRun {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', COLD_SCRIPT, file, changedFile, how], { cwd: ROOT, encoding: 'utf8' });
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

/** The 100 entries a run changes (a new title and answer), with the terms the server computes for them. */
function changedEntries(entries: readonly KnowledgeEntry[], run: number): Array<{ entry: KnowledgeEntry; terms: string }> {
  return Array.from({ length: 100 }, (_, i) => {
    const e = entries[(i * 397 + run) % entries.length] as KnowledgeEntry;
    const entry = { ...e, title: `${e.title}（${run + 1}次修订）`, answer: `${e.answer}（已更新）`, version: e.version + 1 + run };
    return { entry, terms: entryTerms(entry, PINYIN) };
  });
}

interface FeedRow {
  seq: number;
  entry: KnowledgeEntry;
  terms: string;
}

/**
 * The change feed as GET /api/knowledge/changes answers it (an admin's: every
 * entry), from rows held in memory, gzipped by the server's own `sendLargeJson`;
 * `/api/knowledge/plain` the same bytes once more (the update's baseline);
 * the page, its script, the PWA's worker and the scan's strings.
 */
async function startFeed(feed: FeedRow[], files: { page: string; worker: string; haystacks: string }): Promise<{ url: string; server: Server }> {
  const answers = new Map<number, Buffer>();
  const answer = (since: number) => {
    const rows = feed.filter((r) => r.seq > since).slice(0, KNOWLEDGE_PAGE);
    const head = feed.at(-1)?.seq ?? 0;
    const more = rows.length === KNOWLEDGE_PAGE && (rows.at(-1)?.seq ?? 0) < head;
    return { seq: more ? (rows.at(-1)?.seq ?? 0) : head, more, reset: false, entries: rows.map((r) => r.entry), terms: rows.map((r) => r.terms), termsVersion: TERMS_VERSION, removed: [], synonyms: DEMO_SYNONYMS };
  };
  const html = '<!doctype html><meta charset="utf-8"><title>knowledge</title><script src="/page.js"></script>';
  const floor = `<!doctype html><meta charset="utf-8"><title>floor</title><script>
const open = indexedDB.open('lianxin');
open.onerror = () => (window.floor = { error: String(open.error) });
open.onsuccess = () => {
  const read = open.result.transaction('knowledgeMeta').objectStore('knowledgeMeta').get('index');
  read.onsuccess = () => (window.floor = { at: performance.now(), bytes: read.result ? read.result.index.byteLength : 0 });
  read.onerror = () => (window.floor = { error: String(read.error) });
};
</script>`;
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (type: string, body: string) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url.pathname === '/' || url.pathname === '/index.html') send('text/html; charset=utf-8', html);
    else if (url.pathname === '/floor') send('text/html; charset=utf-8', floor);
    else if (url.pathname === '/page.js') send('text/javascript; charset=utf-8', files.page);
    else if (url.pathname === '/worker.js') send('text/javascript; charset=utf-8', files.worker);
    else if (url.pathname === '/api/knowledge/haystacks') send('application/json; charset=utf-8', files.haystacks);
    else if (url.pathname === '/api/knowledge/changes') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const body = answer(since);
      if (since > 0) answers.set(since, gzipSync(JSON.stringify(body), { level: 6 }));
      void sendLargeJson(req, res, 200, body);
    } else if (url.pathname === '/api/knowledge/plain') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const bytes = answers.get(since) ?? gzipSync(JSON.stringify(answer(since)), { level: 6 });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'cache-control': 'no-store' }).end(bytes);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function withPhone<T>(userDataDir: string, fn: (phone: Phone) => Promise<T>): Promise<T> {
  const phone = await launchPhone({ userDataDir, geolocation: false });
  try {
    return await fn(phone);
  } finally {
    await phone.close();
  }
}

/** The device in Chromium at `count` entries: storage, cold ready, warm search, 100 changes server to searchable. */
async function browserFigures(context: Parameters<BenchCase['run']>[0], entries: readonly KnowledgeEntry[], terms: readonly string[], haystacks: readonly string[], entriesBytes: number): Promise<{ figures: Figure[]; setup: string }> {
  const feed: FeedRow[] = entries.map((entry, i) => ({ seq: i + 1, entry, terms: terms[i] ?? '' }));
  const files = {
    page: await pageScript('bench/lib/page/knowledge.ts'),
    worker: await moduleScript('pwa/src/knowledge/worker.ts'),
    haystacks: JSON.stringify({ ids: entries.map((e) => e.id), text: haystacks }),
  };
  const { url, server } = await startFeed(feed, files);
  const userDataDir = mkdtempSync(join(tmpdir(), 'lianxin-bench-knowledge-'));
  const storage = new FigureSamples('browser: device storage', 'MB', 'lower', { baselineLabel: 'the entries as JSON', note: 'navigator.storage.estimate() after a cold relaunch (entries gzipped in packs, index gzipped); right after the first sync in setup' });
  const ready = new FigureSamples('browser: index ready, cold start', 'ms', 'lower', { baselineLabel: 'blank page reading the saved index row (raw IndexedDB), cold', note: 'Chromium relaunched on the profile; from navigation start to the worker’s refresh reply' });
  const p50 = new FigureSamples('browser: search p50, warm', 'ms', 'lower', { baselineLabel: 'substring scan in the page, p50' });
  const p95 = new FigureSamples('browser: search p95, warm', 'ms', 'lower', { baselineLabel: 'substring scan in the page, p95', note: `${QUERIES.length} queries: find round trip to the worker, entries read from their packs, highlight` });
  const update = new FigureSamples('browser: 100 changed entries, server to searchable', 'ms', 'lower', { baselineLabel: 'one plain GET of the same bytes', note: 'pull (GET, gzip, apply to IndexedDB), worker catch-up from terms, a search finding a changed entry' });
  let setup: string;
  try {
    context.log(`browser: first sync of ${entries.length} entries`);
    const first = await withPhone(userDataDir, async ({ page }) => {
      await page.goto(`${url}/`);
      const synced = await page.evaluate(() => window.kb.sync());
      const pulled = await page.evaluate(() => window.kb.storage());
      const built = await page.evaluate(() => window.kb.refresh());
      const used = await page.evaluate(() => window.kb.storage());
      return { synced, pulled, built, used };
    });
    if (first.built.size !== entries.length) throw new Error(`the worker indexed ${first.built.size} entries, not ${entries.length}`);
    const phase = (u: { usage: number; packs: number; index: number; terms: number }) => `estimate ${(u.usage / MB).toFixed(1)} MB (packs ${(u.packs / MB).toFixed(1)}, index ${(u.index / MB).toFixed(1)}, terms ${(u.terms / MB).toFixed(1)})`;
    context.log(`browser: after the pull ${phase(first.pulled)}; after the index ${phase(first.used)}`);
    setup = `first sync ${(first.synced.ms / 1000).toFixed(1)} s (then ${phase(first.pulled)}), index ready and saved ${(first.built.ms / 1000).toFixed(1)} s; stored: packs ${(first.used.packs / MB).toFixed(1)} MB, index ${(first.used.index / MB).toFixed(1)} MB, terms left ${(first.used.terms / MB).toFixed(1)} MB, ${first.used.rows} rows; storage estimate right after ${(first.used.usage / MB).toFixed(1)} MB`;
    context.log(`browser: ${setup}; usage ${(first.used.usage / MB).toFixed(1)} MB`);
    for (let run = 0; run < context.runs; run++) {
      // Cold: a relaunch, the page starts the worker at once.
      const measured = await withPhone(userDataDir, async ({ page }) => {
        await page.goto(`${url}/?start`);
        const handle = await page.waitForFunction(() => window.kb.ready, null, { timeout: 120_000 });
        const r = (await handle.jsonValue())!;
        if ('error' in r) throw new Error(`the worker failed: ${r.error}`);
        if (r.size !== entries.length) throw new Error(`the cold index has ${r.size} entries, not ${entries.length}`);
        const used = await page.evaluate(() => window.kb.storage());
        for (const q of QUERIES) await page.evaluate(({ query, now }) => window.kb.find(query, now), { query: q.query, now: NOW });
        const ours: number[] = [];
        const stages = { worker: [] as number[], search: [] as number[], read: [] as number[], highlight: [] as number[] };
        for (const q of QUERIES) {
          const found = await page.evaluate(({ query, now }) => window.kb.find(query, now), { query: q.query, now: NOW });
          ours.push(found.ms);
          stages.worker.push(found.worker);
          stages.search.push(found.stages.search);
          stages.read.push(found.stages.read);
          stages.highlight.push(found.stages.highlight);
        }
        const slowest = ours.map((ms, i) => ({ ms, i })).sort((a, b) => b.ms - a.ms).slice(0, Math.ceil(ours.length * 0.05));
        const at = (list: number[]) => slowest.reduce((sum, s) => sum + (list[s.i] ?? 0), 0) / slowest.length;
        context.log(`browser run ${run + 1}: the slowest 5 % of finds, mean ms: round trip ${at(ours).toFixed(1)}, in the worker ${at(stages.worker).toFixed(1)} (index search ${at(stages.search).toFixed(1)}, entries read ${at(stages.read).toFixed(1)}, highlight ${at(stages.highlight).toFixed(1)}); p50 of each: search ${quantile(stages.search, 0.5).toFixed(1)}, read ${quantile(stages.read, 0.5).toFixed(1)}, highlight ${quantile(stages.highlight, 0.5).toFixed(1)}`);
        await page.evaluate(() => window.kb.loadScan());
        for (const q of QUERIES) await page.evaluate((query) => window.kb.scan(query), q.query);
        const scan: number[] = [];
        for (const q of QUERIES) scan.push(await page.evaluate((query) => window.kb.scan(query), q.query));
        // 100 changes arrive on the server (their terms computed there, at import).
        const changed = changedEntries(entries, run);
        const since = feed.at(-1)?.seq ?? 0;
        for (const c of changed) feed.push({ seq: (feed.at(-1)?.seq ?? 0) + 1, entry: c.entry, terms: c.terms });
        const target = changed[0]!.entry;
        const up = await page.evaluate(({ query, id, now }) => window.kb.update(query, id, now), { query: target.title, id: target.id, now: NOW });
        if (!up.found) throw new Error(`a changed entry (${target.id}) was not found after the update`);
        const plain = await page.evaluate((s) => window.kb.plainGet(s), since);
        context.log(`browser run ${run + 1}: after the relaunch estimate ${(used.usage / MB).toFixed(1)} MB (packs ${(used.packs / MB).toFixed(1)}, index ${(used.index / MB).toFixed(1)}, terms ${(used.terms / MB).toFixed(1)}, ${used.rows} rows)`);
        return { ready: r.at, ours, scan, update: up.ms, plain, usage: used.usage };
      });
      const floor = await withPhone(userDataDir, async ({ page }) => {
        await page.goto(`${url}/floor`);
        const handle = await page.waitForFunction(() => (window as unknown as { floor?: { at: number } | { error: string } }).floor, null, { timeout: 60_000 });
        const f = (await handle.jsonValue())!;
        if ('error' in f) throw new Error(`floor: ${f.error}`);
        return f.at;
      });
      context.log(`browser run ${run + 1}: ready ${measured.ready.toFixed(0)} ms (floor ${floor.toFixed(0)}), p95 ${quantile(measured.ours, 0.95).toFixed(1)} ms, update ${measured.update.toFixed(0)} ms (GET ${measured.plain.toFixed(0)})`);
      storage.add(measured.usage / MB, entriesBytes / MB);
      ready.add(measured.ready, floor);
      p50.add(quantile(measured.ours, 0.5), quantile(measured.scan, 0.5));
      p95.add(quantile(measured.ours, 0.95), quantile(measured.scan, 0.95));
      update.add(measured.update, measured.plain);
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(userDataDir, { recursive: true, force: true });
  }
  return { figures: [storage.figure(), ready.figure(), p50.figure(), p95.figure(), update.figure()], setup };
}

export const knowledge: BenchCase = {
  id: 'knowledge',
  title: '10 knowledge base',
  async run(context) {
    const count = context.quick ? 1_000 : envCount('LIANXIN_BENCH_KNOWLEDGE_COUNT', 40_000, 40_000);
    context.log(`generating ${count} entries`);
    const entries = scaledKnowledge({ now: NOW, count });
    const entriesJson = JSON.stringify(entries);
    const entriesBytes = Buffer.byteLength(entriesJson);
    const entriesGzip = gzipSync(entriesJson).length;
    const haystacks = entries.map((e) => normalise([e.title, ...e.questions, ...e.tags, e.answer].join('\n')));
    const ids = entries.map((e) => e.id);

    context.log('the server: terms of every entry (tokens and pinyin); then the index from the terms');
    const termsTime = new FigureSamples('terms at import (server)', 's', 'lower', { baselineLabel: 'joining each entry into one string for the scan', note: `${count.toLocaleString('en')} entries: tokens and pinyin-pro, once per entry version, on the server` });
    let terms: string[] = [];
    termsTime.add(
      timed(() => (terms = entries.map((e) => entryTerms(e, PINYIN)))) / 1000,
      timed(() => entries.map((e) => normalise([e.title, ...e.questions, ...e.tags, e.answer].join('\n')))) / 1000,
    );
    const build = new FigureSamples('index build from terms', 's', 'lower', { baselineLabel: 'JSON.parse of the entries', note: 'putTerms for every entry and a compaction: what a device does once, at its first sync' });
    let index = new KnowledgeIndex(PINYIN);
    build.add(
      timed(() => {
        index = new KnowledgeIndex(PINYIN);
        index.setSynonyms(DEMO_SYNONYMS);
        entries.forEach((e, i) => index.putTerms(e, terms[i] ?? ''));
        index.compact();
      }) / 1000,
      timed(() => JSON.parse(entriesJson) as unknown) / 1000,
    );
    const bytes = index.save();
    const bytesGzip = gzipSync(bytes).length;
    const dir = mkdtempSync(join(tmpdir(), 'lianxin-knowledge-'));
    const file = join(dir, 'index.bin');
    const changedFile = join(dir, 'changed.json');
    writeFileSync(file, bytes);

    const size = new FigureSamples('saved index, gzipped', 'MB', 'lower', { baselineLabel: 'the entries as JSON', note: `${(bytes.length / MB).toFixed(1)} MB before gzip; entries gzipped whole: ${(entriesGzip / MB).toFixed(1)} MB` });
    size.add(bytesGzip / MB, entriesBytes / MB);
    const cold = new FigureSamples('cold: load + first search', 'ms', 'lower', { baselineLabel: 'JSON.parse of the entries (what the scan needs first)', note: 'a new Node process; module imports (search, pinyin-pro) not included, reported in setup' });
    const p50 = new FigureSamples('search p50, warm', 'ms', 'lower', { baselineLabel: 'substring scan p50' });
    const p95 = new FigureSamples('search p95, warm', 'ms', 'lower', { baselineLabel: 'substring scan p95', note: `${QUERIES.length} labelled queries, top 10, validity filter` });
    const update = new FigureSamples('100 changed entries applied from terms', 'ms', 'lower', { baselineLabel: 'loading the whole index again', note: 'in the cold process after its first search: putTerms × 100 and a search; network and IndexedDB not included' });
    const updateText = new FigureSamples('100 changed entries applied from text (before)', 'ms', 'lower', { baselineLabel: 'loading the whole index again', note: 'another cold process: put × 100 (tokens, pinyin-pro on the device) and a search' });
    let imports = 0;
    try {
      for (let run = 0; run < context.runs; run++) {
        context.log(`run ${run + 1}: cold load and update`);
        writeFileSync(changedFile, JSON.stringify(changedEntries(entries, run)));
        const c = coldLoad(file, changedFile, 'terms');
        if (c.size !== index.size) throw new Error(`the loaded index has ${c.size} entries, not ${index.size}`);
        imports = c.imports;
        cold.add(c.ready, timed(() => JSON.parse(entriesJson) as unknown));
        update.add(c.update, c.ready);
        const t = coldLoad(file, changedFile, 'text');
        updateText.add(t.update, t.ready);

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
    // Quick mode keeps the browser's part small (300 entries): `npm run bench:quick` must stay under two minutes.
    const inBrowser = context.quick ? 300 : count;
    const browser = await browserFigures(context, entries.slice(0, inBrowser), terms.slice(0, inBrowser), haystacks.slice(0, inBrowser), Buffer.byteLength(JSON.stringify(entries.slice(0, inBrowser))));
    return {
      setup: `${count.toLocaleString('en')} entries (${(entriesBytes / MB).toFixed(1)} MB as JSON, ${(entriesGzip / MB).toFixed(1)} MB gzipped); index ${(bytes.length / MB).toFixed(1)} MB, ${(bytesGzip / MB).toFixed(1)} MB gzipped; module imports in the cold process ${imports.toFixed(0)} ms; browser: ${browser.setup}`,
      figures: [termsTime.figure(), build.figure(), size.figure(), cold.figure(), p50.figure(), p95.figure(), update.figure(), updateText.figure(), ...browser.figures],
    };
  },
};
