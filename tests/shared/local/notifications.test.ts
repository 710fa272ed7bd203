import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LianxinDb } from '#shared/local/db.ts';
import { listNotifications, markRead, notifySince, recordNotifications, unreadCount } from '#shared/local/notifications.ts';
import type { AppNotification } from '#shared/notify/notifications.ts';
import { T0 } from '../support/builders.ts';
import { openTestDb } from './helpers.ts';

let db: LianxinDb;
let close: () => Promise<void>;
beforeEach(() => ({ db, close } = openTestDb()));
afterEach(() => close());

const note = (id: string, at: number, orderId = 'o-1'): AppNotification => ({ id, kind: 'dispatch', orderId, orderNo: '2509120001', title: '井盖缺损', actor: 'clerk1', at, text: null });

describe('notifications table', () => {
  it('records each event once and keeps its read state when the order is seen again', async () => {
    expect((await recordNotifications(db, [note('e-aaaaaaaa', T0), note('e-bbbbbbbb', T0 + 1, 'o-2')], T0 + 5)).map((r) => r.id)).toEqual(['e-aaaaaaaa', 'e-bbbbbbbb']);
    expect(await unreadCount(db)).toBe(2);
    await markRead(db, { orderId: 'o-1' }, T0 + 10);
    expect(await unreadCount(db)).toBe(1);
    expect(await recordNotifications(db, [note('e-aaaaaaaa', T0)], T0 + 20)).toEqual([]);
    const rows = await listNotifications(db);
    expect(rows.map((r) => [r.id, r.readAt, r.unread])).toEqual([
      ['e-bbbbbbbb', null, 1],
      ['e-aaaaaaaa', T0 + 10, undefined],
    ]);
    await markRead(db, 'all', T0 + 30);
    expect(await unreadCount(db)).toBe(0);
  });

  it('fixes the time notifications start from the first time it is asked', async () => {
    expect(await notifySince(db, T0)).toBe(T0);
    expect(await notifySince(db, T0 + 1000)).toBe(T0);
  });
});
