/** From a record read on a portal page to an intake the server accepts. */
import { describe, expect, it } from 'vitest';
import { intakeFromPortal } from '#extension/entrypoints/background/portal-intake.ts';
import type { PortalOrder } from '#extension/lib/protocol.ts';
import { DEFAULT_POLICY, deadlineFor } from '#shared/order/deadline.ts';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import { validate } from '#shared/validation/result.ts';

const RECEIVED = Date.UTC(2026, 10, 30, 1, 0); // Monday 09:00 in China
const record: PortalOrder = {
  orderNo: '250912101108115409',
  receivedAt: RECEIVED,
  deadline: RECEIVED + 3 * 86_400_000,
  channel: 'phone',
  type: 'complaint',
  category: '噪声污染',
  title: '株洲路餐饮店大喇叭揽客',
  content: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休。',
  address: '株洲路 12 号',
  citizen: { name: '张先生', phone: '13812345678' },
  handlingUnit: '区城管局',
};
const ctx = { place: { districtId: 'd1', streetId: 'd1-s1' }, adapterId: 'demo-element-plus', url: 'http://portal/#/orders/1', now: RECEIVED + 1000 };

describe('intakeFromPortal', () => {
  it('makes a valid portal-import intake in the clerk’s street', () => {
    const intake = intakeFromPortal(record, ctx);
    const checked = validate(OrderIntakeSchema, { ...intake, id: 'o-k3j9x0abcdefgh12' });
    expect(checked.ok).toBe(true);
    expect(intake).not.toHaveProperty('id');
    expect(intake).toMatchObject({
      source: 'portal_import',
      place: { districtId: 'd1', streetId: 'd1-s1' },
      citizen: { name: '张先生', phone: '13812345678' },
      portal: { adapterId: 'demo-element-plus', url: ctx.url },
      receivedAt: RECEIVED,
      deadline: record.deadline,
    });
  });

  it('takes a page without times as received now, with the policy’s deadline for its type', () => {
    const intake = intakeFromPortal({ ...record, receivedAt: null, deadline: null }, ctx);
    expect(intake.receivedAt).toBe(ctx.now);
    expect(intake.deadline).toBe(deadlineFor(ctx.now, 'complaint', '噪声污染', DEFAULT_POLICY));
    expect(validate(OrderIntakeSchema, { ...intake, id: 'o-k3j9x0abcdefgh12' }).ok).toBe(true);
  });

  it('never sets a deadline before the order was received', () => {
    const intake = intakeFromPortal({ ...record, deadline: RECEIVED - 1 }, ctx);
    expect(intake.deadline).toBe(RECEIVED);
  });

  it('leaves out a phone the page did not give', () => {
    const intake = intakeFromPortal({ ...record, citizen: { name: '' } }, ctx);
    expect(intake.citizen).toEqual({ name: '' });
    expect(validate(OrderIntakeSchema, { ...intake, id: 'o-k3j9x0abcdefgh12' }).ok).toBe(true);
  });
});
