import { describe, expect, it } from 'vitest';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { titleFrom, toOrderRecord } from '#shared/portal/order-record.ts';

const adapter: PortalAdapter = {
  version: 1,
  id: 'test',
  name: 'test',
  order: {
    page: { urls: ['*'], check: { selector: 'body' } },
    fields: [
      { key: 'receivedAt', format: 'yyyy年MM月dd日 HH:mm', locators: [{ by: 'label', text: '来电时间' }] },
      { key: 'type', values: { complaint: ['投诉举报'] }, locators: [{ by: 'label', text: '诉求类型' }] },
    ],
  },
};

describe('toOrderRecord', () => {
  it('turns the portal texts into an intake-shaped record', () => {
    const { record, problems } = toOrderRecord(adapter, {
      orderNo: ' 250912101108115409 ',
      receivedAt: '2025年09月12日 10:11',
      type: '投诉举报',
      channel: '微信',
      category: '噪声污染',
      content: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休。请处理！',
      address: '株洲路',
      citizenName: '王女士',
      citizenPhone: '138 1234 5678',
    });
    expect(problems).toEqual([]);
    expect(record).toMatchObject({
      orderNo: '250912101108115409',
      receivedAt: Date.UTC(2025, 8, 12, 2, 11),
      deadline: null,
      type: 'complaint',
      channel: 'wechat',
      title: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休',
      citizen: { name: '王女士', phone: '138 1234 5678' },
    });
  });

  it('lists what it could not understand by field, keeping a fallback', () => {
    const { record, problems } = toOrderRecord(adapter, { orderNo: '12', receivedAt: '2025-09-12', type: '求表扬', content: 'x' });
    expect(problems.map((p) => p.field).sort()).toEqual(['address', 'orderNo', 'receivedAt', 'type']);
    expect(record.type).toBe('other');
  });

  it('shortens long first sentences into a title', () => {
    expect(titleFrom('一'.repeat(40))).toBe(`${'一'.repeat(30)}…`);
  });
});
