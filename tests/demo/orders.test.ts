import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createDemo, generateDemo, CHANNEL_WEIGHTS, REAL_CASE_GRID, TYPE_WEIGHTS } from '#demo/index.ts';
import { deadlineFor } from '#shared/order/deadline.ts';
import { KNOWN_CATEGORIES, OrderIntakeSchema } from '#shared/order/intake.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { buildOrgTree, enclosingUnit } from '#shared/org/units.ts';
import { bigSet, DAY, NOW } from './fixture.ts';

/** The real cases from the source articles, verbatim. */
const REAL_TITLES = [
  '凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水',
  '步行街两侧梧桐树因大风枝干断裂，存在安全隐患',
  '北海路与中州路交叉口西南角下水道井盖缺损',
  '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休',
  '通信箱安装在市民家外墙，影响装修',
  '魏风小学校门西侧十字路口人车混流',
  '彭西四巷26号院8号楼地下室漏水',
];

const share = <T>(items: readonly T[], test: (item: T) => boolean) => items.filter(test).length / items.length;
const cst = (time: number) => new Date(time + 8 * 60 * 60 * 1000).toISOString();

describe('demo orders', () => {
  it('are the same for the same seed and differ for another', () => {
    const options = { now: NOW, seed: 5, count: 300 };
    const a = generateDemo(options);
    expect(generateDemo(options)).toEqual(a);
    expect(generateDemo({ ...options, seed: 6 }).orders).not.toEqual(a.orders);
    // Any one order can be rebuilt alone, by index or by id.
    const demo = createDemo(options);
    expect(demo.order(123)).toEqual(a.orders[123]);
    for (const index of [0, 6, 7, 150, 299]) expect(demo.orderById(a.orders[index]?.intake.id ?? '')).toEqual(a.orders[index]);
    expect(demo.orderById('o-000000000000000000')).toBeUndefined();
    expect(demo.orderById(`o-${a.orders[6]!.intake.orderNo}`)).toBeUndefined();
    expect(createDemo({ ...options, seed: 6 }).orderById(a.orders[6]!.intake.id)).toBeUndefined();
    expect(demo.orderById('gen-1')).toBeUndefined();
    expect(() => demo.order(300)).toThrow();
  });

  it('all validate as intakes, with every default already filled in', () => {
    for (const { intake } of bigSet().orders) {
      const result = v.safeParse(OrderIntakeSchema, intake);
      if (!result.success) throw new Error(`${intake.id}: ${JSON.stringify(result.issues.map((i) => [v.getDotPath(i), i.message]))}`);
      expect(result.output).toEqual(intake);
    }
  });

  it('are numbered with 18 digits from the time of receipt, uniquely', () => {
    const { orders } = bigSet();
    for (const { intake } of orders) {
      expect(intake.orderNo).toMatch(/^\d{18}$/);
      const t = cst(intake.receivedAt);
      expect(intake.orderNo.slice(0, 12)).toBe(t.slice(2, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19));
      // Seeded, not made from the number: the number's serial is there, the rest is drawn.
      expect(intake.id).toMatch(new RegExp(`^o-[0-9a-z]{10}${intake.orderNo.slice(-6)}$`));
      expect(intake.id).not.toContain(intake.orderNo);
    }
    expect(new Set(orders.map((o) => o.intake.orderNo)).size).toBe(orders.length);
  });

  it('are placed in real units of the organisation, received in the period, due by the deadline policy', () => {
    const { demo, orders } = bigSet();
    const tree = buildOrgTree(demo.units);
    for (const { intake } of orders) {
      const { gridId, communityId, streetId, districtId } = intake.place;
      expect(gridId && tree.units.get(gridId)?.kind).toBe('grid');
      expect(enclosingUnit(tree, gridId ?? '', 'community')?.id).toBe(communityId);
      expect(enclosingUnit(tree, gridId ?? '', 'street')?.id).toBe(streetId);
      expect(enclosingUnit(tree, gridId ?? '', 'district')?.id).toBe(districtId);
      expect(intake.receivedAt).toBeLessThanOrEqual(NOW);
      expect(intake.receivedAt).toBeGreaterThan(NOW - 31 * DAY);
      expect(intake.deadline).toBe(deadlineFor(intake.receivedAt, intake.type, intake.category));
      expect(KNOWN_CATEGORIES).toContain(intake.category);
      expect(intake.businessEnvironment).toBe(intake.category === '营商环境');
      expect(intake.citizen.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(intake.citizen.name.length).toBeGreaterThan(1);
    }
    expect(share(orders, (o) => o.intake.businessEnvironment)).toBeGreaterThan(0.01);
    expect(share(orders, (o) => o.intake.supervision !== 'none')).toBeGreaterThan(0.01);
    expect(share(orders, (o) => o.intake.attachments.length > 0)).toBeGreaterThan(0.005);
    expect(share(orders, (o) => o.intake.source === 'portal_import')).toBeGreaterThan(0.03);
  });

  it('follow the published proportions of request types and channels', () => {
    const { orders } = bigSet();
    for (const [type, expected] of TYPE_WEIGHTS.items.map((t, i) => [t, TYPE_WEIGHTS.shares[i] ?? 0] as const)) {
      expect(Math.abs(share(orders, (o) => o.intake.type === type) - expected), type).toBeLessThan(0.02);
    }
    expect(TYPE_WEIGHTS.shareOf('help')).toBeCloseTo(64.6 / 93.7, 3);
    for (const [channel, expected] of CHANNEL_WEIGHTS.items.map((c, i) => [c, CHANNEL_WEIGHTS.shares[i] ?? 0] as const)) {
      expect(Math.abs(share(orders, (o) => o.intake.channel === channel) - expected), channel).toBeLessThan(0.015);
    }
    expect(CHANNEL_WEIGHTS.shareOf('phone')).toBeCloseTo(11_471 / 12_707, 3);
    const channels = new Set(orders.map((o) => o.intake.channel));
    for (const channel of ['phone', 'wechat', 'provincial', 'mayor_mailbox', 'people_board']) expect(channels).toContain(channel);
    expect(new Set(orders.map((o) => o.intake.category))).toEqual(new Set(KNOWN_CATEGORIES));
  });

  it('start with the seven real cases, verbatim, in the first grid', () => {
    const first = bigSet().orders.slice(0, 7);
    expect(first.map((o) => o.intake.title)).toEqual(REAL_TITLES);
    for (const { intake } of first) {
      expect(intake.place.gridId).toBe(REAL_CASE_GRID);
      expect(intake.content).toContain(intake.title);
    }
    expect(generateDemo({ now: NOW, count: 50, realCases: false }).orders.some((o) => REAL_TITLES.includes(o.intake.title))).toBe(false);
  });

  it('are open in exactly the number asked for, recent ones mostly open and old ones mostly done', () => {
    const { demo, orders } = bigSet();
    const open = (status: (typeof orders)[number]['status']) => isOpenStatus(status);
    expect(orders.filter((o) => open(o.status)).length).toBe(demo.openCount);
    expect(demo.openCount).toBe(Math.round(5000 * (5.05 / 30)));
    const recent = orders.filter((o) => NOW - o.intake.receivedAt < DAY);
    const old = orders.filter((o) => NOW - o.intake.receivedAt > 14 * DAY);
    expect(share(recent, (o) => open(o.status))).toBeGreaterThan(0.6);
    expect(share(old, (o) => open(o.status))).toBeLessThan(0.02);

    for (const openCount of [0, 3, 100]) {
      const set = generateDemo({ now: NOW, seed: 3, count: 100, openCount });
      expect(set.orders.filter((o) => open(o.status)).length, `openCount ${openCount}`).toBe(openCount);
    }
    expect(() => createDemo({ now: NOW, count: 10, openCount: 11 })).toThrow(/openCount/);
  });
});
