/** Order docs on fake-indexeddb: shared by reference count, and finished orders' databases deleted unless work remains. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderDocs } from '#shared/client/order-docs.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import { recordEvent } from '#shared/local/journal.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { HOUR, History, T0, users } from '../support/builders.ts';
import { openTestDb } from '../local/helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
let docs: OrderDocs;

beforeEach(() => {
  ({ db, close } = openTestDb());
  docs = new OrderDocs({ db });
});
afterEach(async () => {
  await docs.closeAll();
  await close();
});

const prefix = () => `t${Math.random().toString(36).slice(2, 8)}`;

async function storedDoc(orderId: string): Promise<void> {
  const handle = await docs.acquire(orderId);
  handle.doc.getArray('events').push([{ stored: true }]);
  handle.release();
  // Let y-indexeddb's close finish before the database list is read.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const databases = async () => new Set((await indexedDB.databases()).map((info) => info.name));

describe('OrderDocs', () => {
  it('shares one doc between holders and closes it with the last release', async () => {
    const id = `${prefix()}-shared`;
    const a = await docs.acquire(id);
    const b = await docs.acquire(id);
    expect(a.doc).toBe(b.doc);
    a.release();
    a.release(); // twice is once
    expect(docs.isOpen(id)).toBe(true);
    b.release();
    expect(docs.isOpen(id)).toBe(false);
  });

  it('forgets finished orders whose work is all confirmed, keeps the rest', async () => {
    const p = prefix();
    const [clean, pending, open, absent] = [`${p}-clean`, `${p}-pending`, `${p}-open`, `${p}-absent`];
    for (const id of [clean, pending, open]) await storedDoc(id);
    await recordEvent(db, pending, new History().by(users.worker).do({ type: 'progress', payload: { text: '未同步的进展' } }, T0 + HOUR));
    const held = await docs.acquire(open);

    expect(await docs.forgetFinished([clean, pending, open, absent])).toEqual([clean]);
    const names = await databases();
    expect(names.has(orderDocName(clean))).toBe(false);
    expect(names.has(orderDocName(pending))).toBe(true);
    expect(names.has(orderDocName(open))).toBe(true);
    expect(names.has(orderDocName(absent))).toBe(false);
    held.release();
  });
});
