/**
 * The duplicate detector (shared/duplicates), measured on its own — too small
 * for a case of the harness, whose figures are whole-system ones:
 *
 *   npx tsx bench/duplicates.ts           # a street of 10,500 orders (500 open), 200 incoming orders
 *   npx tsx bench/duplicates.ts --quick   # 2,000 orders, 50 incoming
 *
 * 1. Precision and recall on the labelled pairs (tests/shared/duplicates/labelled,
 *    rule in docs/DUPLICATES.md) by threshold, by source and by kind of pair,
 *    and the pairs it gets wrong at the likely score.
 * 2. Speed: one street's demo orders (demo/, one district of one street, 30
 *    days) as candidates; the index built once (median of 5 builds); each
 *    incoming order checked against it (median, p90, max of every query);
 *    beside it the same check without a kept index (features computed per
 *    query), the baseline the index exists to beat.
 */
import { cpus, loadavg } from 'node:os';
import { createDemo } from '#demo/demo.ts';
import { buildDuplicateIndex, candidateOf, findDuplicates, LIKELY_SCORE, probeOf, suggestDuplicates } from '#shared/duplicates/detect.ts';
import { describeDuplicateReasons } from '#shared/duplicates/reasons.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { confusion, labelledPairs, scorePairs, type ScoredPair } from '../tests/shared/duplicates/labelled/evaluate.ts';
import { quantile } from './lib/stats.ts';

const quick = process.argv.includes('--quick');
const STREET_ORDERS = quick ? 2_000 : 10_500;
const OPEN = quick ? 100 : 500;
const QUERIES = quick ? 50 : 200;
const NOW = Date.UTC(2026, 2, 16, 2, 0);

const f2 = (n: number) => n.toFixed(2);
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

function precisionRecall(): void {
  const scored = scorePairs(labelledPairs());
  const sources: readonly [string, (s: ScoredPair) => boolean][] = [
    ['all', () => true],
    ['generated', (s) => s.pair.source === 'generated'],
    ['hand-written', (s) => s.pair.source === 'hand'],
    ['held out', (s) => s.pair.source === 'holdout'],
  ];
  console.log(`## Precision and recall: ${scored.length} labelled pairs`);
  console.log('');
  console.log(`| threshold | ${sources.map(([name, keep]) => `${name} (${scored.filter(keep).length}) P / R`).join(' | ')} |`);
  console.log(`|---|${sources.map(() => '---').join('|')}|`);
  for (const threshold of [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]) {
    const cells = sources.map(([, keep]) => {
      const c = confusion(scored.filter(keep), threshold);
      return `${f2(c.precision)} / ${f2(c.recall)}`;
    });
    console.log(`| ${f2(threshold)}${threshold === LIKELY_SCORE ? ' (likely)' : ''} | ${cells.join(' | ')} |`);
  }
  console.log('');
  console.log(`By kind of pair, at ${LIKELY_SCORE}: right / pairs (median score)`);
  for (const kind of [...new Set(scored.map((s) => s.pair.kind))]) {
    const of = scored.filter((s) => s.pair.kind === kind);
    const right = of.filter((s) => s.score >= LIKELY_SCORE === s.pair.duplicate).length;
    console.log(`  ${kind.padEnd(28)} ${String(right).padStart(3)} / ${String(of.length).padEnd(3)} (${f2(quantile(of.map((s) => s.score), 0.5))})`);
  }
  console.log('');
  console.log(`Wrong at ${LIKELY_SCORE}:`);
  for (const s of scored.filter((x) => x.score >= LIKELY_SCORE !== x.pair.duplicate)) {
    console.log(`  ${s.pair.id} ${s.pair.kind} (${s.pair.duplicate ? 'same matter' : 'not'}), score ${f2(s.score)}${s.reasons.length ? `: ${describeDuplicateReasons(s.reasons)}` : ''}`);
    console.log(`    ${s.pair.first.address} · ${s.pair.first.title}`);
    console.log(`    ${s.pair.second.address} · ${s.pair.second.title}`);
  }
  console.log('');
}

/** Wall time and this process's CPU time: on a shared machine the CPU time is closer to what the code costs. */
function time<T>(run: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

interface Samples {
  wall: number[];
  cpu: number[];
}

function row(label: string, s: Samples): string {
  const q = (values: number[], p: number) => ms(quantile(values, p));
  return `| ${label} | ${q(s.wall, 0.5)} ms | ${q(s.wall, 0.9)} ms | ${ms(Math.max(...s.wall))} ms | ${q(s.cpu, 0.5)} ms | ${s.wall.length} |`;
}

function speed(): void {
  const org = { districts: 1, streetsPerDistrict: 1 };
  const made = time(() =>
    [...createDemo({ now: NOW, seed: 11, org, count: STREET_ORDERS, openCount: OPEN }).orders()].map((o) => candidateOf(o.intake, deriveOrder(o.intake, o.events, NOW))),
  );
  const candidates = made.value;
  // New calls of the last day, in the same street: another seed of the same demo city.
  const incoming = [...createDemo({ now: NOW, seed: 12, org, count: QUERIES, openCount: QUERIES, periodDays: 1, realCases: false }).orders()].map((o) => probeOf(o.intake));

  const builds: Samples = { wall: [], cpu: [] };
  let index = buildDuplicateIndex(candidates);
  for (let i = 0; i < 5; i++) {
    const built = time(() => buildDuplicateIndex(candidates));
    builds.wall.push(built.ms);
    builds.cpu.push(built.cpuMs);
    index = built.value;
  }
  // Warm up, then time every query three times, keeping each time.
  for (const probe of incoming.slice(0, 20)) findDuplicates(index, probe, NOW);
  const queries: Samples = { wall: [], cpu: [] };
  let suggested = 0;
  let likely = 0;
  for (let round = 0; round < 3; round++) {
    for (const probe of incoming) {
      const found = time(() => findDuplicates(index, probe, NOW));
      queries.wall.push(found.ms);
      queries.cpu.push(found.cpuMs);
      if (round === 0) {
        suggested += found.value.length;
        if (found.value.some((s) => s.likely)) likely++;
      }
    }
  }
  const unindexed: Samples = { wall: [], cpu: [] };
  for (const probe of incoming.slice(0, 5)) {
    const once = time(() => suggestDuplicates(probe, candidates, NOW));
    unindexed.wall.push(once.ms);
    unindexed.cpu.push(once.cpuMs);
  }

  console.log(`## Speed: one street, ${candidates.length.toLocaleString('en')} orders of 30 days (${OPEN} open), ${incoming.length} incoming orders`);
  console.log('');
  console.log('| | median | p90 | max | CPU median | runs |');
  console.log('|---|---|---|---|---|---|');
  console.log(row('build the index', builds));
  console.log(row('check one incoming order against the index', queries));
  console.log(row('the same without a kept index (baseline)', unindexed));
  console.log('');
  console.log(
    `${(suggested / incoming.length).toFixed(1)} suggestions per incoming order on average (limit 10); ${likely} of ${incoming.length} have a likely one ` +
      '(the demo draws every order from ~40 templates over a few compounds, so it is full of real repeats by the labelling rule).',
  );
  console.log(`Demo orders made and derived in ${(made.ms / 1000).toFixed(1)} s (not part of the figures).`);
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.`);
}

precisionRecall();
speed();
