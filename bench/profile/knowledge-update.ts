/**
 * Where 100 changed entries' put into a loaded 40,000-entry index spends its time (bench/README.md,
 * "Knowledge base at 40,000 entries"): a fresh process loads the saved index, answers one query, then
 * puts 100 changed entries and searches, under the CPU profiler (node:inspector), summed by function, self time.
 * Make the inputs first: `npx tsx bench/profile/knowledge-update.ts build 40000`; then
 * `npx tsx bench/profile/knowledge-update.ts profile 40000 [put|terms]`.
 */
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { KnowledgeIndex, buildIndex } from '#shared/knowledge/search.ts';
import { DEMO_SYNONYMS, scaledKnowledge } from '#demo/knowledge/generate.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { entryTerms } from '#shared/knowledge/terms.ts';

const NOW = Date.UTC(2026, 11, 1);
const [mode = 'profile', countText = '40000', how = 'put'] = process.argv.slice(2);
const count = Number(countText);
const dir = '/tmp';

if (mode === 'build') {
  const entries = scaledKnowledge({ now: NOW, count });
  writeFileSync(`${dir}/kb-index-${count}.bin`, buildIndex(entries, { pinyin: PINYIN, synonyms: DEMO_SYNONYMS }).save());
  const changed = Array.from({ length: 100 }, (_, i) => {
    const e = entries[(i * 397) % entries.length] as KnowledgeEntry;
    return { ...e, title: `${e.title}（1次修订）`, answer: `${e.answer}（已更新）`, version: e.version + 1 };
  });
  writeFileSync(`${dir}/kb-changed-${count}.json`, JSON.stringify(changed));
} else {
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
  const index = KnowledgeIndex.load(new Uint8Array(readFileSync(`${dir}/kb-index-${count}.bin`)), PINYIN);
  index.search('公租房怎么申请', { now: NOW }, 10);
  const changed = JSON.parse(readFileSync(`${dir}/kb-changed-${count}.json`, 'utf8')) as KnowledgeEntry[];
  // What the change feed brings since the terms moved to the server (computed here before the clock starts).
  const terms = how === 'terms' ? changed.map((e) => entryTerms(e, PINYIN)) : [];
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  if (how === 'terms') changed.forEach((e, i) => index.putTerms(e, terms[i] ?? ''));
  else for (const e of changed) index.put(e);
  const t1 = performance.now();
  index.search('公租房怎么申请', { now: NOW }, 10);
  const t2 = performance.now();
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const where = f.url.includes('pinyin-pro') ? 'pinyin-pro' : `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    byFn.set(where, (byFn.get(where) ?? 0) + (self.get(node.id) ?? 0));
  }
  console.log(`${how}: put ×100 ${(t1 - t0).toFixed(0)} ms, search after ${(t2 - t1).toFixed(0)} ms`);
  for (const [fn, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${fn}`);
}
