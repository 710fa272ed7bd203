/**
 * Where the 30-field form's fill + verify spends its time (bench/README.md, case 6):
 * the engine's fill and check each timed in the page, and a CPU profile of both
 * (CDP Profiler) summed by function, self time. `node --import tsx bench/profile/portal-fill.ts`
 */
import { fill, check, inject, makePhoto, newPage, startWorld } from '../../tests/e2e/portals/fixtures.ts';
import { formFields, formHtml, formPlan } from '../cases/portal-fill.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const world = await startWorld();
try {
  for (let run = 0; run < 4; run++) {
    const page = await newPage(world);
    const fields = formFields();
    await page.goto(world.portals.origin);
    await page.setContent(formHtml(fields));
    await inject(page);
    const photos = [await makePhoto(page, 'A'), await makePhoto(page, 'B')];
    const plan = formPlan(fields, photos);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    const t0 = performance.now();
    const report = await fill(page, plan, photos);
    const t1 = performance.now();
    const verified = await check(page, plan);
    const t2 = performance.now();
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    if (!report.ok || !verified.ok) throw new Error('fill failed');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const key = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`run ${run}: fill ${(t1 - t0).toFixed(0)} ms, check ${(t2 - t1).toFixed(0)} ms`);
    console.log(top.map(([k, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${k}`).join('\n'));
    await page.context().close();
  }
} finally {
  await world.close();
}
