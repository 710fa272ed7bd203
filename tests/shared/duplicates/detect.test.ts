import { describe, expect, it } from 'vitest';
import {
  ARCHIVED_GRACE_MS,
  LIKELY_SCORE,
  WINDOW_MS,
  buildDuplicateIndex,
  candidateOf,
  findDuplicates,
  phoneDigits,
  probeOf,
  suggestDuplicates,
  updateDuplicateIndex,
  type DuplicateCandidate,
  type DuplicateProbe,
} from '#shared/duplicates/detect.ts';
import { describeDuplicateReason, describeDuplicateReasons } from '#shared/duplicates/reasons.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { DAY, HOUR, T0, intake } from '../support/builders.ts';

const NOW = T0 + 10 * DAY;

/** The real case 凯旋路与株洲路交叉口东侧 as the hotline first wrote it, a day before NOW. */
const sewer: DuplicateCandidate = {
  id: 'o-sewer',
  orderNo: '260301090000100001',
  receivedAt: NOW - DAY,
  status: 'dispatched',
  type: 'help',
  category: '市政',
  title: '凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水',
  content: '凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水，路面全是污水，气味很大，已经好几天了，请尽快派人疏通。',
  address: '西工区凯旋路与株洲路交叉口东侧',
  phone: '13837912345',
};

const again: DuplicateProbe = {
  id: 'o-again',
  receivedAt: NOW,
  type: 'help',
  category: '市政',
  title: '株洲路凯旋路口下水道冒水',
  content: '株洲路和凯旋路交叉的那个路口，下水道往外冒脏水，整条路都是臭水，走路都没法走，赶紧找人来通一通。',
  address: '株洲路凯旋路路口',
  phone: '13663798899',
};

const candidate = (overrides: Partial<DuplicateCandidate>): DuplicateCandidate => ({ ...sewer, ...overrides });

describe('findDuplicates', () => {
  it('finds the same matter reported in other words at the same crossing, and says why', () => {
    const [found, ...rest] = suggestDuplicates(again, [sewer], NOW);
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ id: 'o-sewer', orderNo: sewer.orderNo, status: 'dispatched', likely: true });
    expect(found!.score).toBeGreaterThanOrEqual(LIKELY_SCORE);
    expect(found!.reasons.map((r) => r.code)).toEqual(['same_address', 'similar_content', 'same_category']);
    expect(describeDuplicateReasons(found!.reasons)).toMatch(/^同一地址 · 内容相似 \d+% · 同类诉求（市政）$/);
    expect(describeDuplicateReasons(found!.reasons, 'en')).toMatch(/^same address; content \d+% similar; same category \(市政\)$/);
  });

  it('does not take another problem at the same place for a duplicate', () => {
    const lights: DuplicateProbe = {
      ...again,
      type: 'suggestion',
      category: '交通设施',
      title: '凯旋路与株洲路交叉口绿灯时间过短',
      content: '凯旋路与株洲路交叉口红绿灯时间太短，老人过马路走不过去，建议延长绿灯时间。',
      address: '西工区凯旋路与株洲路交叉口',
    };
    expect(suggestDuplicates(lights, [sewer], NOW)).toEqual([]);
  });

  it('does not take the same problem at another corner of the crossing for a duplicate', () => {
    const manhole = candidate({ title: '北海路与中州路交叉口西南角井盖缺损', content: '北海路与中州路交叉口西南角下水道井盖缺损，晚上看不清，请尽快处理。', address: '北海路与中州路交叉口西南角' });
    const otherCorner: DuplicateProbe = { ...again, title: '北海路与中州路交叉口东北角井盖缺损', content: '北海路与中州路交叉口东北角下水道井盖缺损，晚上看不清。', address: '北海路与中州路交叉口东北角' };
    const sameCorner: DuplicateProbe = { ...otherCorner, address: '中州路北海路路口西南角' };
    expect(suggestDuplicates(otherCorner, [manhole], NOW)).toEqual([]);
    expect(suggestDuplicates(sameCorner, [manhole], NOW)).toHaveLength(1);
  });

  it('shows the same caller within 7 days whatever they said, as possible but not likely', () => {
    const otherMatter: DuplicateProbe = {
      ...again,
      phone: '+86 138-3791-2345',
      title: '株洲路18号饭店油烟扰民',
      content: '株洲路18号饭店后厨油烟直接排到后面居民楼，家里窗户都是油。',
      address: '株洲路18号',
    };
    const [found] = suggestDuplicates(otherMatter, [sewer], NOW);
    expect(found).toMatchObject({ likely: false });
    expect(found!.reasons[0]).toEqual({ code: 'same_phone', hoursApart: 24 });
    // Both on 株洲路, which is worth saying; the words are not alike, which the missing reason says.
    expect(found!.reasons.map((r) => r.code)).toEqual(['same_phone', 'near_address', 'same_category']);
    expect(describeDuplicateReason(found!.reasons[0]!)).toBe('同一来电号码（相隔 1 天）');
    expect(describeDuplicateReason(found!.reasons[0]!, 'en')).toBe("same caller's number (1 day apart)");
    // Eight days apart, the number alone is no longer a match.
    expect(suggestDuplicates({ ...otherMatter, receivedAt: sewer.receivedAt + 8 * DAY }, [sewer], NOW + 8 * DAY)).toEqual([]);
  });

  it('raises a duplicate from the same caller above one from a stranger', () => {
    const [stranger] = suggestDuplicates(again, [sewer], NOW);
    const [caller] = suggestDuplicates({ ...again, phone: sewer.phone! }, [sewer], NOW);
    expect(caller!.score).toBeGreaterThan(stranger!.score);
    expect(caller!.reasons[0]).toEqual({ code: 'same_phone', hoursApart: 24 });
  });

  it('ignores a masked number', () => {
    expect(phoneDigits('138****2345')).toBeNull();
    expect(phoneDigits('+86 138 3791 2345')).toBe('13837912345');
    const masked = candidate({ phone: '138****2345', title: '其他事项', content: '咨询公交线路调整。', address: '北海路1号' });
    expect(suggestDuplicates({ ...again, phone: '13837912345' }, [masked], NOW)).toEqual([]);
  });

  it('treats enquiries as the caller’s own: only the same number makes two one matter', () => {
    const ask = candidate({
      type: 'enquiry',
      category: '劳动和社会保障',
      title: '咨询社保卡丢失补办',
      content: '社保卡丢了，想问一下去哪里补办，要带什么材料？',
      address: '北海小区',
    });
    const neighbour: DuplicateProbe = { ...again, type: 'enquiry', category: '劳动和社会保障', title: '咨询社保卡补办流程', content: '我的社保卡丢了，请问在哪里补办，需要什么材料？', address: '北海小区' };
    expect(suggestDuplicates(neighbour, [ask], NOW)).toEqual([]);
    const [same] = suggestDuplicates({ ...neighbour, phone: ask.phone! }, [ask], NOW);
    expect(same).toMatchObject({ likely: true });
  });

  it('says how far apart two located orders are when only the positions put them together', () => {
    const signal = candidate({
      category: '交通设施',
      title: '凯旋路与北海路交叉口信号灯故障',
      content: '凯旋路北海路路口红绿灯不亮，车辆乱行，很容易出事故。',
      address: '凯旋路与北海路交叉口',
      location: { kind: 'fix', position: { lat: 34.62548, lng: 112.44871, accuracy: 15 } },
    });
    const nearby: DuplicateProbe = {
      ...again,
      category: '交通设施',
      title: '地铁站口的红绿灯坏了',
      content: '地铁站出来那个大路口信号灯坏了一上午，红绿灯不亮，车辆乱行，交警也没来。',
      address: '凯旋路地铁站',
      location: { kind: 'fix', position: { lat: 34.62605, lng: 112.44910, accuracy: 20 } },
    };
    const [found] = suggestDuplicates(nearby, [signal], NOW);
    expect(found!.reasons[0]).toEqual({ code: 'near_address', basis: 'distance', metres: 70 });
    expect(describeDuplicateReason(found!.reasons[0]!)).toBe('相近地址（约 70 米）');
    expect(describeDuplicateReason(found!.reasons[0]!, 'en')).toBe('nearby address (about 70 m)');
    // A fix as vague as a cell tower's says nothing.
    const vague: DuplicateProbe = { ...nearby, location: { kind: 'fix', position: { lat: 34.62605, lng: 112.4491, accuracy: 800 } } };
    expect(suggestDuplicates(vague, [signal], NOW)[0]?.reasons.some((r) => r.code === 'near_address' && r.basis === 'distance')).not.toBe(true);
  });

  it('names a neighbouring door number', () => {
    const hole = candidate({ category: '交通设施', title: '北海路65号门前路面塌陷', content: '北海路65号门前路面塌陷一个坑，晚上看不清，已经有电动车摔倒了。', address: '北海路65号' });
    const nextDoor: DuplicateProbe = { ...again, category: '交通设施', title: '北海路路面塌了一个坑', content: '北海路63号门口路面塌了一个大坑，晚上看不清，电动车摔倒了好几个。', address: '北海路63号门口' };
    const [found] = suggestDuplicates(nextDoor, [hole], NOW);
    expect(found!.reasons[0]).toEqual({ code: 'near_address', basis: 'door', metres: null });
    expect(describeDuplicateReason(found!.reasons[0]!)).toBe('相近地址（门牌相邻）');
  });

  describe('which orders are candidates', () => {
    it('leaves out merged orders, orders archived over 7 days ago, orders older than 30 days and the order itself', () => {
      const kept = (c: DuplicateCandidate) => suggestDuplicates(again, [c], NOW).length === 1;
      expect(kept(sewer)).toBe(true);
      expect(kept(candidate({ status: 'merged' }))).toBe(false);
      expect(kept(candidate({ status: 'closed', closedAt: NOW - 20 * DAY }))).toBe(true);
      expect(kept(candidate({ status: 'archived', closedAt: NOW - ARCHIVED_GRACE_MS + HOUR }))).toBe(true);
      expect(kept(candidate({ status: 'archived', closedAt: NOW - ARCHIVED_GRACE_MS - HOUR }))).toBe(false);
      // Without a close time, an archived order's receipt counts.
      expect(kept(candidate({ status: 'archived', receivedAt: NOW - 8 * DAY }))).toBe(false);
      expect(kept(candidate({ receivedAt: NOW - WINDOW_MS - 1 }))).toBe(false);
      expect(kept(candidate({ id: 'o-again' }))).toBe(false);
    });
  });

  it('ranks by score, then open orders, then the newest; limit and minScore cut the list', () => {
    const closedTwin = candidate({ id: 'o-closed', status: 'replied', closedAt: NOW - HOUR });
    const olderTwin = candidate({ id: 'o-older', receivedAt: NOW - 2 * DAY });
    // The same words, placed only on 凯旋路: the same road is weaker evidence than the same crossing.
    const weaker = candidate({ id: 'o-weaker', address: '凯旋路' });
    const index = buildDuplicateIndex([weaker, closedTwin, olderTwin, sewer]);
    expect(index.size).toBe(4);
    const all = findDuplicates(index, again, NOW);
    expect(all.map((s) => s.id)).toEqual(['o-sewer', 'o-older', 'o-closed', 'o-weaker']);
    expect(findDuplicates(index, again, NOW, { limit: 2 }).map((s) => s.id)).toEqual(['o-sewer', 'o-older']);
    expect(findDuplicates(index, again, NOW, { minScore: all[0]!.score }).map((s) => s.id)).toEqual(['o-sewer', 'o-older', 'o-closed']);
    expect(findDuplicates(index, again, NOW, { likelyScore: 1 }).every((s) => !s.likely)).toBe(true);
  });

  it('keeps an index current: a new status is taken as it is, new words are indexed again, new orders are added', () => {
    const index = buildDuplicateIndex([sewer]);
    updateDuplicateIndex(index, [candidate({ status: 'merged' })]);
    expect(index.size).toBe(1);
    expect(findDuplicates(index, again, NOW)).toEqual([]);
    updateDuplicateIndex(index, [candidate({ status: 'in_progress', title: '株洲路18号饭店油烟扰民', content: '饭店油烟直排。', address: '株洲路18号' })]);
    expect(findDuplicates(index, again, NOW)).toEqual([]);
    updateDuplicateIndex(index, [sewer, candidate({ id: 'o-new', receivedAt: NOW - HOUR })]);
    expect(index.size).toBe(2);
    expect(findDuplicates(index, again, NOW).map((s) => s.id)).toEqual(['o-new', 'o-sewer']);
  });

  it('answers the same from a reused index as from a fresh one', () => {
    const candidates = [sewer, candidate({ id: 'o-2', address: '株洲路18号', title: '株洲路18号饭店油烟扰民', content: '饭店油烟直排。' })];
    const index = buildDuplicateIndex(candidates);
    for (const probe of [again, { ...again, phone: sewer.phone! }]) {
      expect(findDuplicates(index, probe, NOW)).toEqual(suggestDuplicates(probe, candidates, NOW));
    }
  });

  it('reads an intake as the incoming order and a stored order with its view as a candidate', () => {
    const stored = intake({ id: 'o-1', orderNo: '250912101108000001', receivedAt: T0 });
    const incoming = intake({ id: 'o-2', orderNo: '250912101108000002', receivedAt: T0 + HOUR, citizen: { name: '李女士', phone: '15903791122' }, content: '北海路中州路路口西南角的井盖缺了，夜里有人踩空。' });
    const asCandidate = candidateOf(stored, deriveOrder(stored, [], T0 + HOUR));
    expect(asCandidate).toMatchObject({ id: 'o-1', orderNo: stored.orderNo, status: 'pending_dispatch', closedAt: null, phone: '13812345678' });
    expect(probeOf(incoming)).toMatchObject({ id: 'o-2', phone: '15903791122', location: null });
    const [found] = suggestDuplicates(probeOf(incoming), [asCandidate], T0 + HOUR);
    expect(found).toMatchObject({ id: 'o-1', likely: true });
    expect(found!.reasons[0]).toEqual({ code: 'same_address' });
  });
});
