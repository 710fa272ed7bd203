/**
 * The engine as a content script really runs: in an isolated world (created
 * through the DevTools protocol, as Chrome does for extensions), sharing the
 * DOM but not the JavaScript of the page, whose editors it reaches only through
 * the page-world script. The layui form (two iframes deep, layui, laydate,
 * KindEditor, jQuery uploads) and the Element Plus form are filled from there.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { planReply, type ReplyPlan } from '#shared/portal/reply-plan.ts';
import type { FillReport } from '#extension/lib/portal/index.ts';
import type { PortalName } from '../../portals/server.ts';
import { engineBundle, makePhoto, newPage, startWorld, type TestPhoto, type World } from './fixtures.ts';
import { closeInput } from './reply-input.ts';
import { WAIT_MS } from '../../support/wait.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** Fills from a fresh isolated world of the top frame; the page-world script goes into the main world. */
async function fillIsolated(page: Page, plan: ReplyPlan, photos: readonly TestPhoto[]): Promise<FillReport> {
  const secret = 'isolated-secret-0123456789';
  await page.addScriptTag({ content: await engineBundle() });
  await page.evaluate((s) => window.lianxin.installPageWorld(s), secret);
  // The main world's copy must not be the one that fills: take the engine away from it.
  await page.evaluate(() => Reflect.deleteProperty(window, 'lianxin'));

  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  const { executionContextId } = (await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'lianxin-content-script' })) as {
    executionContextId: number;
  };
  await cdp.send('Runtime.evaluate', { expression: await engineBundle(), contextId: executionContextId });
  const args = JSON.stringify({ plan, photos, secret });
  const { result, exceptionDetails } = (await cdp.send('Runtime.evaluate', {
    contextId: executionContextId,
    awaitPromise: true,
    returnByValue: true,
    expression: `(async () => {
      const { plan, photos, secret } = ${args};
      if (typeof window.lianxin.installPageWorld !== 'function') throw new Error('no engine in this world');
      const map = new Map(photos.map((p) => [p.sha256, new Blob([Uint8Array.from(atob(p.base64), (c) => c.charCodeAt(0))], { type: p.mime })]));
      const bridge = window.lianxin.engine.createPageBridge(window, secret);
      return window.lianxin.engine.fillReply(document, plan, { photos: map, bridge, uploadTimeoutMs: 15000 });
    })()`,
  })) as { result: { value: FillReport }; exceptionDetails?: { exception?: { description?: string } } };
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? 'evaluation failed');
  await cdp.detach();
  return result.value;
}

const CASES: { portal: PortalName; adapterId: string; path: (no: string) => string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    portal: 'layui',
    adapterId: 'demo-layui',
    path: (no) => `#handle/${no}`,
    ready: async (page) => {
      await expect.poll(() => page.frames().some((f) => /handle-form/.test(f.url())), { timeout: WAIT_MS }).toBe(true);
      const form = page.frames().find((f) => /handle-form/.test(f.url()))!;
      await form.waitForSelector('.ke-container iframe');
      await form.waitForSelector('.layui-form-select');
    },
  },
  { portal: 'element-plus', adapterId: 'demo-element-plus', path: (no) => `#/orders/${no}/handle`, ready: (page) => page.waitForSelector('.reply-form') },
];

for (const c of CASES) {
  it(`fills the ${c.portal} form from an isolated world, every field ✓, photos uploaded`, async () => {
    const page = await newPage(world);
    const order = world.portals.orders(c.portal)[4]!;
    await page.goto(world.portals.urls[c.portal] + c.path(order.orderNo));
    await c.ready(page);
    const photos = { handling: [await makePhoto(page, '隔离 1')], contact: [await makePhoto(page, '隔离 2')], document: [await makePhoto(page, '隔离 3')] };
    const plan = planReply(builtinAdapter(c.adapterId)!, closeInput(order.orderNo, photos));
    const report = await fillIsolated(page, plan, [...photos.handling, ...photos.contact, ...photos.document]);
    expect(report.refused).toBeUndefined();
    expect(report.fields.map((f) => f.status)).toEqual(plan.fields.map(() => 'ok'));
    // It really ran apart from the page: the page's world never saw that engine.
    expect(await page.evaluate(() => typeof window.lianxin)).toBe('undefined');
    const uploaded = world.portals.uploads(c.portal).map((u) => u.sha256).sort();
    expect(uploaded).toEqual([...photos.handling, ...photos.contact, ...photos.document].map((p) => p.sha256).sort());
    await page.context().close();
  });
}
