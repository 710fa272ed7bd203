/**
 * `npm run bench` — every case in bench/cases/, a table on stdout, and
 * bench/results.json + bench/results.md.
 *
 *   npm run bench                      full sizes, 3 runs per case (LIANXIN_BENCH_RUNS or --runs N)
 *   npm run bench -- --quick           each case once on small data (what `npm test` runs; < 2 min);
 *                                      results go to a temporary folder unless --out is given
 *   npm run bench -- --only fan-out,first-sync
 *   npm run bench -- --out DIR         write results.json and results.md there
 *
 * Figures are for people: nothing here asserts a threshold. A case that cannot
 * run (something not built) is reported as skipped, saying why; a case that
 * throws is reported as failed and the exit code is 1.
 */
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CASES } from './cases/index.ts';
import type { BenchContext } from './lib/case.ts';
import { figureResults, renderMarkdown, renderTable, type BenchReport, type CaseReport, type FigureResult } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
  },
});

const quick = values.quick;
const runs = quick ? 1 : Number(values.runs ?? process.env.LIANXIN_BENCH_RUNS ?? 3);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be 1 to 50, got ${values.runs}`);
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
const unknown = only?.filter((id) => !CASES.some((c) => c.id === id)) ?? [];
if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.id).join(', ')}`);
const outDir = values.out ?? (quick ? join(tmpdir(), 'lianxin-bench-quick') : fileURLToPath(new URL('.', import.meta.url)));

const startedAt = new Date();
const cases: CaseReport[] = [];
const figures: FigureResult[] = [];
for (const benchCase of CASES) {
  if (only && !only.includes(benchCase.id)) continue;
  const context: BenchContext = { quick, runs, log: (message) => process.stderr.write(`[${benchCase.id}] ${message}\n`) };
  const started = performance.now();
  context.log(`start (${quick ? 'quick' : `${runs} runs`})`);
  let setup: string | null = null;
  let skipped: string | null = null;
  let failed: string | null = null;
  try {
    const outcome = await benchCase.run(context);
    if ('skipped' in outcome) skipped = outcome.skipped;
    else {
      setup = outcome.setup;
      figures.push(...figureResults(benchCase.title, outcome));
    }
  } catch (error) {
    failed = error instanceof Error ? error.message : String(error);
    process.stderr.write(`[${benchCase.id}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : failed}\n`);
  }
  const seconds = (performance.now() - started) / 1000;
  context.log(`done in ${seconds.toFixed(1)} s`);
  cases.push({ id: benchCase.id, title: benchCase.title, setup, skipped, failed, seconds });
}

const cpuList = cpus();
const report: BenchReport = {
  startedAt: startedAt.toISOString(),
  quick,
  machine: { node: process.versions.node, cpus: cpuList.length, cpuModel: cpuList[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30) },
  cases,
  figures,
};
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(outDir, 'results.md'), renderMarkdown(report));
process.stdout.write(`\n${renderTable(report)}\n\n`);
for (const c of cases) if (c.setup) process.stdout.write(`${c.title}: ${c.setup}\n`);
process.stdout.write(`\nWritten: ${join(outDir, 'results.json')}, ${join(outDir, 'results.md')}\n`);
process.exit(cases.some((c) => c.failed !== null) ? 1 : 0);
