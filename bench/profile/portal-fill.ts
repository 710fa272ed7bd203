/**
 * Where the 30-field form's fill + verify spends its time (bench/README.md, case 6):
 * the engine's fill and check each timed from the bench (as the case does) and
 * inside the page, the round trip of an empty `page.evaluate`, a CPU profile of
 * both (CDP Profiler, 100 µs) summed by function, self time, and the browser's
 * own work from a trace (style recalculation, layout, forced by script or not).
 * `node --import tsx bench/profile/portal-fill.ts [runs]`
 */
import type { CDPSession } from 'playwright-core';
import { fill, check, inject, makePhoto, newPage, startWorld } from '../../tests/e2e/portals/fixtures.ts';
import { formFields, formHtml, formPlan } from '../cases/portal-fill.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
interface TraceEvent { name: string; ph: string; dur?: number; args?: { beginData?: { stackTrace?: unknown[] }; data?: { stackTrace?: unknown[] } } }

async function traced(cdp: CDPSession, body: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline.stack', transferMode: 'ReportEvents' });
  await body();
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  return events;
}

const runs = Number(process.argv[2] ?? 4);
const world = await startWorld();
try {
  for (let run = 0; run < runs; run++) {
    const page = await newPage(world);
    const fields = formFields();
    await page.goto(world.portals.origin);
    await page.setContent(formHtml(fields));
    await inject(page);
    const photos = [await makePhoto(page, 'A'), await makePhoto(page, 'B')];
    const plan = formPlan(fields, photos);
    const cdp = await page.context().newCDPSession(page);
    const r0 = performance.now();
    await page.evaluate(() => 0);
    const roundTrip = performance.now() - r0;
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    let t = { fill: 0, check: 0 };
    const events = await traced(cdp, async () => {
      const t0 = performance.now();
      const report = await fill(page, plan, photos);
      const t1 = performance.now();
      const verified = await check(page, plan);
      const t2 = performance.now();
      if (!report.ok || !verified.ok) throw new Error('fill failed');
      t = { fill: t1 - t0, check: t2 - t1 };
    });
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    // The engine alone, timed in the page (same plan again on the filled form: the writes are the same).
    const inPage = await page.evaluate(async ({ plan, photos }) => {
      const map = new Map(photos.map((p) => [p.sha256, new Blob([Uint8Array.from(atob(p.base64), (c) => c.charCodeAt(0))], { type: p.mime })]));
      const a = performance.now();
      await window.lianxin.engine.fillReply(document, plan, { photos: map });
      const b = performance.now();
      await window.lianxin.engine.checkReply(document, plan);
      return { fill: b - a, check: performance.now() - b };
    }, { plan, photos });
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const browser = new Map<string, { n: number; ms: number; forced: number }>();
    for (const e of events) {
      if (e.ph !== 'X' || !['Layout', 'UpdateLayoutTree', 'RecalculateStyles', 'Paint', 'EventDispatch', 'FunctionCall', 'ParseHTML', 'GCEvent', 'MinorGC', 'MajorGC', 'V8.GCScavenger', 'FireAnimationFrame'].includes(e.name)) continue;
      const s = browser.get(e.name) ?? { n: 0, ms: 0, forced: 0 };
      s.n++;
      s.ms += (e.dur ?? 0) / 1000;
      if (e.args?.beginData?.stackTrace || e.args?.data?.stackTrace) s.forced++;
      browser.set(e.name, s);
    }
    console.log(`run ${run}: from the bench fill ${t.fill.toFixed(0)} ms, check ${t.check.toFixed(0)} ms; in the page fill ${inPage.fill.toFixed(0)} ms, check ${inPage.check.toFixed(0)} ms; empty evaluate ${roundTrip.toFixed(1)} ms`);
    console.log([...browser].map(([k, s]) => `  ${k}: ${s.n}× ${s.ms.toFixed(1)} ms${s.forced ? ` (${s.forced} forced by script)` : ''}`).join('\n'));
    console.log(top.map(([k, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${k}`).join('\n'));
    await page.context().close();
  }
} finally {
  await world.close();
}
