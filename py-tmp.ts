import { PINYIN } from '#shared/knowledge/pinyin.ts';
import { buildIndex } from '#shared/knowledge/search.ts';
import { DEMO_SYNONYMS, demoKnowledge } from '#demo/knowledge/generate.ts';
import { QUERIES } from './tests/shared/knowledge/queries.ts';
const es = demoKnowledge({ now: Date.UTC(2026, 11, 1) });
let t = performance.now();
PINYIN.syllables('公');
console.log('init', performance.now() - t); t = performance.now();
const ix = buildIndex(es, { synonyms: DEMO_SYNONYMS, pinyin: PINYIN });
console.log('build', performance.now() - t);t = performance.now();
const ix0 = buildIndex(es, { synonyms: DEMO_SYNONYMS });
console.log('build no pinyin', performance.now() - t);
for (const q of QUERIES.filter(q => q.kind === 'pinyin')) console.log(q.query, q.expected, ix.search(q.query, {}, 3).hits.map(h=>h.id));
for (const k of [undefined,'pinyin']) {let f=0,t3=0; const qs = QUERIES.filter(q=>!k||q.kind===k); for (const q of qs){const ids=ix.search(q.query,{},3).hits.map(h=>h.id); if(ids[0]===q.expected)f++; if(ids.includes(q.expected))t3++;}
console.log(k, qs.length, f/qs.length, t3/qs.length);}
