/**
 * Where a cold start's time goes, from a Chromium trace (bench/README.md, "Cold start, part 4"):
 * the `cold-start` case's set-up (the built PWA under vite preview, demo mode with 10,000 orders,
 * 200 open, Chromium relaunched cold on the same profile), with a DevTools trace of each relaunch
 * from before navigation to a second after the first card's paint. Prints, per run, the renderer
 * main thread's tasks between navigation and the paint (start, duration, what ran: script
 * evaluated or compiled, functions called, style, layout, paint), the idle gaps between them, the
 * service worker's fetches of the app's files and the app's own marks.
 *
 *   npm run build:pwa && npx tsx bench/profile/cold-start-trace.ts [runs=2] [orders=10000]
 *   LIANXIN_TRACE_DIR=/tmp/cold-trace npx tsx bench/profile/cold-start-trace.ts   (also keeps each trace's JSON, for chrome://tracing)
 *   LIANXIN_TRACE_SAMPLES=lianxin:session-ready …   (the CPU samples from that mark to the paint, by function)
 *   LIANXIN_TRACE_SAMPLES=tasks LIANXIN_TRACE_SOURCEMAPS=dist/pwa …   (the samples of each task ≥ 20 ms up to 1.2 s
 *     after the paint, by function and by source module; build with `--minify false --sourcemap` for both)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import type { CDPSession, Page } from 'playwright-core';
import { LoginScreen, launchPhone, startPreview } from '../../tests/e2e/pwa/fixtures.ts';
import { pageSays } from '../lib/page-says.ts';
import { waitForFirstFrame, waitForRows } from '../cases/cold-start.ts';

const runs = Number(process.argv[2] ?? 2);
const orders = Number(process.argv[3] ?? 10_000);
const keepDir = process.env.LIANXIN_TRACE_DIR;

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string; readonly data?: Record<string, unknown>; readonly [key: string]: unknown };
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'blink.user_timing',
  'loading',
  'navigation',
  'ServiceWorker',
  'IndexedDB',
  'toplevel',
  'fonts',
  'disabled-by-default-fonts',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-devtools.timeline.stack',
];

async function trace(session: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
  await session.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  await run();
  await session.send('Tracing.end');
  await done;
  return events;
}

async function seed(url: string): Promise<string> {
  const phone = await launchPhone();
  try {
    const login = new LoginScreen(phone.page);
    await login.open(url, orders === 10_000 ? `?demo=${orders}&demoOpen=200` : `?demo=${orders}`);
    await phone.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await phone.page.click('text=演示模式');
    await waitForRows(phone.page, orders);
    await phone.page.waitForSelector('.order-card', { timeout: 120_000 });
    // The inbox's last frame, drawn at every start traced after this one (bench/README.md, "Cold start, part 14").
    await waitForFirstFrame(phone.page);
    return phone.userDataDir;
  } finally {
    await phone.close();
  }
}

/** After the paint (`pageSays` 'painted'): a quiet 1.2 s, then the marks and fetches. */
async function paintedAndQuiet(page: Page): Promise<{ painted: number; marks: [string, number][] }> {
  await page.waitForTimeout(1200);
  return page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const marks: [string, number][] = [
      ['responseStart', nav?.responseStart ?? 0],
      ['responseEnd', nav?.responseEnd ?? 0],
      ['domInteractive', nav?.domInteractive ?? 0],
      ['domContentLoaded', nav?.domContentLoadedEventEnd ?? 0],
      ...performance.getEntriesByType('mark').map((m): [string, number] => [m.name, m.startTime]),
      ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[]).flatMap((r): [string, number][] => {
        const file = r.name.replace(/^.*\//, '');
        return [[`fetch ${file} start`, r.startTime], [`fetch ${file} end`, r.responseEnd]];
      }),
    ];
    return { painted: (window as { benchCardAt?: number }).benchCardAt!, marks: marks.sort((a, b) => a[1] - b[1]) };
  });
}

/** A short label for what a top-level task ran. */
function describe(children: readonly TraceEvent[]): string {
  const parts = new Map<string, number>();
  for (const event of children) {
    const data = event.args?.data ?? {};
    let label: string | null = null;
    if (event.name === 'EvaluateScript' || event.name === 'v8.evaluateModule') label = `eval ${String(data.url ?? event.args?.fileName ?? '').replace(/^.*\//, '') || 'inline'}`;
    else if (event.name === 'v8.compileModule' || event.name === 'v8.compile' || event.name === 'CompileScript') label = `compile ${String(data.url ?? event.args?.fileName ?? '').replace(/^.*\//, '')}`;
    else if (event.name === 'FunctionCall') label = `call ${String(data.functionName || '?')}@${String(data.url ?? '').replace(/^.*\//, '')}:${String(data.lineNumber ?? '')}`;
    else if (['ParseHTML', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Commit', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'ParseAuthorStyleSheet', 'Layerize', 'HitTest', 'ScheduleStyleRecalculation'].includes(event.name))
      label = event.name === 'EventDispatch' ? `event ${String(data.type ?? '')}` : event.name;
    if (label) parts.set(label, (parts.get(label) ?? 0) + (event.dur ?? 0) / 1000);
  }
  return [...parts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([label, ms]) => `${label} ${ms.toFixed(1)}`)
    .join('; ');
}

function summarise(events: readonly TraceEvent[], paintedMs: number): string[] {
  // The app's renderer: the process whose main thread ran the navigation's ParseHTML of index.html.
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const mark = events.find((e) => e.name === 'lianxin:data-layer' && e.cat.includes('blink.user_timing'));
  const nav = events.filter((e) => e.name === 'navigationStart' && e.pid === mark?.pid).at(-1);
  if (!mark || !nav) return ['no app marks or navigationStart in the trace'];
  const main = events.filter((e) => e.pid === mark.pid && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  const t0 = nav.ts;
  const at = (ts: number) => (ts - t0) / 1000;
  const tasks = main.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && at(e.ts) >= -5 && at(e.ts) <= paintedMs + 5);
  const lines: string[] = [];
  let lastEnd = 0;
  let busy = 0;
  for (const task of tasks) {
    const start = at(task.ts);
    const dur = (task.dur ?? 0) / 1000;
    // RunTask and ThreadControllerImpl::RunTask nest: one line per top-level task.
    if (dur < 2 || start < lastEnd) continue;
    if (start - lastEnd > 4) lines.push(`  ${lastEnd.toFixed(0).padStart(5)}–${start.toFixed(0).padStart(5)}  idle ${(start - lastEnd).toFixed(0)} ms`);
    const children = main.filter((e) => e.ph === 'X' && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0) && e !== task);
    lines.push(`  ${start.toFixed(0).padStart(5)}–${(start + dur).toFixed(0).padStart(5)}  task ${dur.toFixed(1)} ms: ${describe(children)}`);
    lastEnd = start + dur;
    busy += dur;
  }
  lines.push(`  main thread busy (tasks ≥ 2 ms) ${busy.toFixed(0)} ms of ${paintedMs.toFixed(0)} ms`);
  // The other threads of the app's renderer and the service worker's, summed before the paint.
  const perThread = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !(e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')) continue;
    if (at(e.ts) < 0 || at(e.ts) > paintedMs) continue;
    const name = `${e.pid}:${names.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
    perThread.set(name, (perThread.get(name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  // The font work before the paint (any process: the sandboxed renderer asks the browser for fallbacks).
  const fonts = new Map<string, { calls: number; ms: number }>();
  for (const e of events) {
    if (!e.cat.includes('fonts') || (e.ph !== 'X' && e.ph !== 'B') || at(e.ts) < 0 || at(e.ts) > paintedMs) continue;
    const entry = fonts.get(e.name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += (e.dur ?? 0) / 1000;
    fonts.set(e.name, entry);
  }
  const fontLine = [...fonts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 6).map(([n, f]) => `${n} ${f.calls}× ${f.ms.toFixed(1)} ms`).join('; ');
  lines.push(`  fonts before the paint: ${fontLine || 'none traced'}`);
  lines.push(`  busy per thread before the paint (pid:thread ms): ${[...perThread].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')}`);
  return lines;
}

interface ProfileNode { readonly id: number; readonly parent?: number; readonly callFrame: { readonly functionName: string; readonly url?: string; readonly lineNumber?: number; readonly columnNumber?: number } }
interface Sample { readonly ms: number; readonly at: number; readonly stack: readonly ProfileNode[] }

/** The V8 CPU samples of the app's main thread, each with its time (ms from navigation) and stack (leaf first). */
function cpuSamples(events: readonly TraceEvent[]): Sample[] {
  const first = events.find((e) => e.name === 'lianxin:data-layer' && e.cat.includes('blink.user_timing'));
  const nav = events.filter((e) => e.name === 'navigationStart' && e.pid === first?.pid).at(-1);
  if (!first || !nav) return [];
  const starts = new Map<string, number>();
  for (const e of events) if (e.name === 'Profile' && e.pid === first.pid) starts.set(String((e as { id?: string }).id), Number(e.args?.data?.startTime ?? e.ts));
  const nodes = new Map<string, Map<number, ProfileNode>>();
  const clock = new Map<string, number>();
  const out: Sample[] = [];
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const id = String((e as { id?: string }).id);
    const start = starts.get(id);
    if (start === undefined) continue;
    const cpu = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    const known = nodes.get(id) ?? new Map<number, ProfileNode>();
    nodes.set(id, known);
    for (const node of cpu?.cpuProfile?.nodes ?? []) known.set(node.id, node);
    let t = clock.get(id) ?? start;
    const samples = cpu?.cpuProfile?.samples ?? [];
    const deltas = cpu?.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const prev = t;
      t += deltas[i] ?? 0;
      const stack: ProfileNode[] = [];
      for (let node = known.get(samples[i]!); node; node = node.parent === undefined ? undefined : known.get(node.parent)) stack.push(node);
      const leaf = stack[0]?.callFrame.functionName;
      if (!leaf || leaf === '(idle)' || leaf === '(program)' || leaf === '(root)') continue;
      out.push({ ms: (t - prev) / 1000, at: (t - nav.ts) / 1000, stack });
    }
    clock.set(id, t);
  }
  return out;
}

/** Maps a built file's position to its source module, from the build's source maps (`vite build --sourcemap`). */
function sourceModules(dir: string | undefined): (url: string | undefined, line: number | undefined, column: number | undefined) => string | null {
  const maps = new Map<string, TraceMap | null>();
  return (url, line, column) => {
    if (!dir || !url || line === undefined) return null;
    const file = url.replace(/^.*\//, '');
    if (!maps.has(file)) {
      const path = `${dir}/assets/${file}.map`;
      maps.set(file, existsSync(path) ? new TraceMap(readFileSync(path, 'utf8')) : null);
    }
    const map = maps.get(file);
    if (!map) return null;
    const found = originalPositionFor(map, { line: line + 1, column: column ?? 0 });
    return found.source ? found.source.replace(/^(\.\.\/)+/, '').replace(/^node_modules\/(\.pnpm\/)?/, '') : null;
  };
}

/**
 * The samples of one window by function (inclusive: each function once per sample whose stack it is
 * on; self) and, with source maps, by source module (self, and each module once per sample whose stack
 * it is on). With an unminified build (`--minify false`) the function names are the source's.
 */
function samplesIn(samples: readonly Sample[], from: number, to: number, moduleOf: ReturnType<typeof sourceModules>, n: number): string[] {
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const moduleSelf = new Map<string, number>();
  const moduleInclusive = new Map<string, number>();
  let total = 0;
  const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${(node.callFrame.url ?? '').replace(/^.*\//, '')}:${(node.callFrame.lineNumber ?? -1) + 1}`;
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  for (const sample of samples) {
    if (sample.at < from || sample.at > to) continue;
    total += sample.ms;
    const leaf = sample.stack[0]!;
    add(self, label(leaf), sample.ms);
    const seen = new Set<string>();
    const seenModules = new Set<string>();
    for (const node of sample.stack) {
      const l = label(node);
      if (!seen.has(l) && node.callFrame.functionName !== '(root)') {
        seen.add(l);
        add(inclusive, l, sample.ms);
      }
      const m = moduleOf(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
      if (m && !seenModules.has(m)) {
        seenModules.add(m);
        add(moduleInclusive, m, sample.ms);
      }
    }
    const leafModule = moduleOf(leaf.callFrame.url, leaf.callFrame.lineNumber, leaf.callFrame.columnNumber) ?? (leaf.callFrame.url ? '(unmapped)' : `(${leaf.callFrame.functionName})`);
    add(moduleSelf, leafModule, sample.ms);
  }
  const top = (map: Map<string, number>, k: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, k).map(([l, ms]) => `      ${ms.toFixed(1).padStart(6)} ms  ${l}`);
  const lines = [`    ${total.toFixed(0)} ms sampled`, '    inclusive:', ...top(inclusive, n), '    self:', ...top(self, Math.ceil(n * 0.6))];
  if (moduleSelf.size > 1 || !moduleSelf.has('(unmapped)')) lines.push('    by source module, self:', ...top(moduleSelf, n), '    by source module, inclusive:', ...top(moduleInclusive, n));
  return lines;
}

/** The renderer main thread's top-level tasks of at least `minMs`, from `from` to `to` ms after navigation. */
function mainTasks(events: readonly TraceEvent[], from: number, to: number, minMs: number): { start: number; dur: number; what: string }[] {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const mark = events.find((e) => e.name === 'lianxin:data-layer' && e.cat.includes('blink.user_timing'));
  const nav = events.filter((e) => e.name === 'navigationStart' && e.pid === mark?.pid).at(-1);
  if (!mark || !nav) return [];
  const main = events.filter((e) => e.pid === mark.pid && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  const out: { start: number; dur: number; what: string }[] = [];
  let lastEnd = -Infinity;
  for (const task of main) {
    if (task.ph !== 'X' || !(task.name === 'RunTask' || task.name === 'ThreadControllerImpl::RunTask')) continue;
    const start = (task.ts - nav.ts) / 1000;
    const dur = (task.dur ?? 0) / 1000;
    if (start < from || start > to || start < lastEnd) continue;
    lastEnd = start + dur;
    if (dur < minMs) continue;
    const children = main.filter((e) => e.ph === 'X' && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0) && e !== task);
    out.push({ start, dur, what: describe(children) });
  }
  return out;
}

const preview = await startPreview();
try {
  console.log(`seeding ${orders} demo orders…`);
  const userDataDir = await seed(preview.url);
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  for (let run = 1; run <= runs; run++) {
    const phone = await launchPhone({ userDataDir });
    try {
      const { page } = phone;
      await page.addInitScript(() => {
        const seen = new MutationObserver(() => {
          if (!document.querySelector('.order-card')) return;
          seen.disconnect();
          requestAnimationFrame(() => {
            (window as { benchCardAt?: number }).benchCardAt = performance.now();
            console.log(`lianxin-bench:painted ${performance.now()}`);
          });
        });
        seen.observe(document, { childList: true, subtree: true });
      });
      const session = await phone.context.newCDPSession(page);
      let result: { painted: number; marks: [string, number][] } | null = null;
      const events = await trace(session, async () => {
        const painted = pageSays<number>(page, 'painted', 60_000);
        await page.goto(preview.url);
        await painted;
        result = await paintedAndQuiet(page);
      });
      const { painted, marks } = result!;
      if (keepDir) writeFileSync(`${keepDir}/cold-${run}.json`, JSON.stringify({ traceEvents: events }));
      console.log(`\nrun ${run}: card painted at ${painted.toFixed(0)} ms; marks and fetches (ms from navigation):`);
      for (const [name, t] of marks) console.log(`  ${t.toFixed(0).padStart(5)}  ${name}`);
      console.log(`main thread from navigation to the paint:`);
      for (const line of summarise(events, painted)) console.log(line);
      const after = mainTasks(events, painted, painted + 1200, 20);
      console.log(`tasks of 20 ms or more in the 1.2 s after the paint: ${after.length === 0 ? 'none' : ''}`);
      for (const task of after) console.log(`  ${task.start.toFixed(0).padStart(5)}–${(task.start + task.dur).toFixed(0).padStart(5)}  task ${task.dur.toFixed(1)} ms: ${task.what}`);
      const samplesOf = process.env.LIANXIN_TRACE_SAMPLES;
      if (samplesOf) {
        const samples = cpuSamples(events);
        const moduleOf = sourceModules(process.env.LIANXIN_TRACE_SOURCEMAPS);
        const depth = Number(process.env.LIANXIN_TRACE_TOP ?? 25);
        if (samplesOf === 'tasks') {
          for (const task of mainTasks(events, 0, painted + 1200, 20)) {
            console.log(`  CPU samples of the task at ${task.start.toFixed(0)}–${(task.start + task.dur).toFixed(0)} ms (${task.dur.toFixed(0)} ms):`);
            for (const line of samplesIn(samples, task.start, task.start + task.dur, moduleOf, depth)) console.log(line);
          }
        } else {
          const from = marks.find(([name]) => name === samplesOf)?.[1];
          if (from === undefined) console.log(`  no ${samplesOf} mark`);
          else {
            console.log(`  CPU samples from ${samplesOf} to the paint:`);
            for (const line of samplesIn(samples, from, painted, moduleOf, depth)) console.log(line);
          }
        }
      }
    } finally {
      await phone.close();
    }
  }
} finally {
  await preview.stop();
}
