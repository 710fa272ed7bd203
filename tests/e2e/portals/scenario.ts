/**
 * The same three checks on every demo portal: import reads the order page
 * exactly; fill writes every reply field, reads each back ✓, and after the
 * clerk's click the portal's server holds exactly those values and files;
 * a renamed label fails that field with a reason and touches nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PhotoKind } from '#shared/order/events.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';
import { formatPortalDate, parsePortalDate } from '#shared/portal/dates.ts';
import { planReply, type ReplyInput } from '#shared/portal/reply-plan.ts';
import { DISPLAY_FORMATS, type PortalName } from '../../portals/server.ts';
import { check, failures, fill, inject, makePhoto, newPage, readOrder, recognise, startWorld, type World, zh } from './fixtures.ts';
import { closeInput } from './reply-input.ts';

export interface PortalScenario {
  readonly portal: PortalName;
  readonly adapterId: string;
  readonly orderPath: (orderNo: string) => string;
  readonly replyPath: (orderNo: string) => string;
  /** Resolves once the page has rendered (a selector, or a wait of its own for pages in frames). */
  readonly orderReady: string | ((page: Page) => Promise<unknown>);
  readonly replyReady: string | ((page: Page) => Promise<unknown>);
  readonly submit: (page: Page) => Promise<void>;
  /** The portal's attachment kind for each of ours. */
  readonly kinds: Record<PhotoKind, string>;
  readonly expectedFields: (input: ReplyInput) => Record<string, string>;
  /** Change a label on the reply page; the field `key` must then fail. */
  readonly renameLabel: { readonly key: string; readonly label: string; readonly rename: (page: Page) => Promise<void>; readonly untouched: (page: Page) => Promise<boolean> };
  /** Reply fields the portal itself marks as required (Element's is-required, a * in the label, required, lay-verify="required"). */
  readonly required: readonly string[];
  /** Order fields this portal does not show. */
  readonly notShown?: readonly string[];
}

async function ready(page: Page, how: string | ((page: Page) => Promise<unknown>)): Promise<void> {
  if (typeof how === 'string') await page.waitForSelector(how);
  else await how(page);
}

/** Registers the portal's checks; returns the world they run in, for a file's own extra checks. */
export function describePortal(s: PortalScenario): () => World {
  const adapter = builtinAdapter(s.adapterId)!;
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  describe(`${s.portal} portal`, () => {
    it('imports the order page field by field', async () => {
      const page = await newPage(world);
      const order = world.portals.orders(s.portal)[1]!;
      await page.goto(world.portals.urls[s.portal] + s.orderPath(order.orderNo));
      await ready(page, s.orderReady);
      await inject(page);
      expect(await recognise(page)).toEqual({ kind: 'order', adapterId: adapter.id });

      const read = await readOrder(page, adapter.id);
      expect(read.fields.filter((f) => !f.ok)).toEqual([]);
      expect(read.ok).toBe(true);
      // Times as precisely as the portal prints them.
      const shown = (t: number) => parsePortalDate(formatPortalDate(t, DISPLAY_FORMATS[s.portal]), DISPLAY_FORMATS[s.portal]);
      const expected: Record<string, unknown> = {
        orderNo: order.orderNo,
        receivedAt: shown(order.receivedAt),
        deadline: shown(order.deadline),
        channel: order.intake.channel,
        type: order.intake.type,
        category: order.category,
        title: order.title,
        content: order.content,
        address: order.address,
        citizen: { name: order.citizenName, phone: order.citizenPhone },
        handlingUnit: order.handlingUnit,
      };
      for (const key of s.notShown ?? []) delete expected[key];
      expect(read.record).toEqual(expected);
      await page.context().close();
    });

    it('fills every reply field, reads each back ✓, and the portal receives exactly that after the clerk submits', async () => {
      const page = await newPage(world);
      const order = world.portals.orders(s.portal)[0]!;
      await page.goto(world.portals.urls[s.portal] + s.replyPath(order.orderNo));
      await ready(page, s.replyReady);
      await inject(page);
      expect(await recognise(page)).toEqual({ kind: 'reply', adapterId: adapter.id });
      expect(await page.evaluate((a) => window.lianxin.engine.readReplyOrderNo(document, a), adapter)).toBe(order.orderNo);

      const photos = {
        handling: [await makePhoto(page, '办理 1'), await makePhoto(page, '办理 2')],
        contact: [await makePhoto(page, '联系')],
        document: [await makePhoto(page, '证件')],
      };
      const input = closeInput(order.orderNo, photos);
      const plan = planReply(adapter, input);
      const report = await fill(page, plan, [...photos.handling, ...photos.contact, ...photos.document]);
      expect(failures(report)).toEqual([]);
      expect(report.fields.map((f) => [f.key, f.status])).toEqual(plan.fields.map((p) => [p.field.key, 'ok']));
      // The portal's own required markers are recognised, each field by its own.
      expect(report.fields.filter((f) => f.required).map((f) => f.key).sort()).toEqual([...s.required].sort());
      // A second look, without writing, agrees.
      expect(failures(await check(page, plan))).toEqual([]);

      // The engine never submits; the clerk does.
      expect(world.portals.received(s.portal)).toEqual([]);
      await s.submit(page);
      await expect.poll(() => world.portals.received(s.portal).length).toBe(1);
      const [submission] = world.portals.received(s.portal);
      expect(submission?.orderNo).toBe(order.orderNo);
      expect(submission?.fields).toEqual(s.expectedFields(input));
      const byKind = (kind: string) => submission!.files.filter((f) => f.kind === kind).map((f) => f.sha256).sort();
      for (const kind of ['handling', 'contact', 'document'] as const) {
        expect(byKind(s.kinds[kind])).toEqual(photos[kind].map((p) => p.sha256).sort());
      }
      expect(submission!.files).toHaveLength(4);
      expect(submission!.files.every((f) => f.name.startsWith(order.orderNo) && f.mime === 'image/jpeg')).toBe(true);
      await page.context().close();
    });

    it('fails a field whose label was renamed, saying why, and fills nothing in its place', async () => {
      const page = await newPage(world);
      const order = world.portals.orders(s.portal)[2]!;
      await page.goto(world.portals.urls[s.portal] + s.replyPath(order.orderNo));
      await ready(page, s.replyReady);
      await s.renameLabel.rename(page);
      await inject(page);
      const photos = { handling: [await makePhoto(page, '办理')], contact: [], document: [] };
      const report = await fill(page, planReply(adapter, closeInput(order.orderNo, photos)), photos.handling);
      const field = report.fields.find((f) => f.key === s.renameLabel.key)!;
      expect(field.status).toBe('failed');
      expect(zh(field.reason)).toContain(s.renameLabel.label);
      expect(report.ok).toBe(false);
      expect(await s.renameLabel.untouched(page)).toBe(true);
      expect(report.fields.filter((f) => f.key !== s.renameLabel.key && f.status === 'failed')).toEqual([]);
      await page.context().close();
    });
  });
  return () => world;
}

