import { describe, expect, it } from 'vitest';
import type { PortalAdapter, ReplyField } from '#shared/portal/adapter.ts';
import { describePlanned, planField, planReply, replyInputOf, type ReplyInput } from '#shared/portal/reply-plan.ts';
import { matchOption } from '#shared/portal/vocabulary.ts';
import { builtinAdapter } from '#shared/portal/builtin.ts';

const sha = (c: string) => c.repeat(64);
const input = (over: Partial<ReplyInput['result']> = {}): ReplyInput => ({
  orderNo: '250912101108115409',
  result: {
    at: Date.UTC(2026, 11, 1, 2, 30),
    founded: true,
    beyondRemit: false,
    resolution: 'partly',
    unresolvedReason: '需要排期',
    contact: { contacted: true, method: 'visit', at: Date.UTC(2026, 10, 30, 1, 15), number: '13812345678' },
    actions: '到场处理完毕。',
    publicReply: '已处理，感谢支持。',
    photos: { handling: [sha('a'), sha('b')], contact: [sha('c')], document: [] },
    ...over,
  },
  photos: [
    { sha256: sha('a'), mime: 'image/jpeg' },
    { sha256: sha('b'), mime: 'image/png' },
    { sha256: sha('c'), mime: 'image/jpeg' },
  ],
});

const field = (over: Partial<ReplyField> & Pick<ReplyField, 'source' | 'widget'>): ReplyField => ({
  key: 'f',
  label: '字段',
  locators: [{ by: 'name', value: 'f' }],
  ...over,
});

describe('planReply', () => {
  it('maps yes/no and resolution to the portal words, the adapter\'s first', () => {
    expect(planField(field({ source: 'founded', widget: { kind: 'radio' } }), input())).toEqual({ type: 'choice', value: 'yes', accept: ['是', '属实', '有', '已联系'] });
    const ui = field({ source: 'resolution', widget: { kind: 'radio' }, values: { partly: ['未解决'] } });
    expect(planField(ui, input())).toMatchObject({ type: 'choice', value: 'partly', accept: ['未解决', '部分解决', '基本解决'] });
    expect(planField(field({ source: 'contactMethod', widget: { kind: 'select' } }), input())).toMatchObject({ accept: expect.arrayContaining(['上门', '上门走访']) });
  });

  it('formats dates with the widget format, in China time', () => {
    expect(planField(field({ source: 'contactTime', widget: { kind: 'date', format: 'yyyy年MM月dd日 HH:mm' } }), input())).toEqual({
      type: 'date',
      time: Date.UTC(2026, 10, 30, 1, 15),
      text: '2026年11月30日 09:15',
    });
    expect(planField(field({ source: 'closedAt', widget: { kind: 'date', format: 'yyyy/MM/dd' } }), input())).toMatchObject({ text: '2026/12/01' });
  });

  it('names photos by order, kind and hash, with the extension of their type, the same whatever their position', () => {
    const handling = field({ source: 'photos.handling', widget: { kind: 'file', uploaded: { within: 'td', item: 'li' } } });
    expect(planField(handling, input())).toEqual({
      type: 'files',
      kind: 'handling',
      photos: [
        { sha256: sha('a'), mime: 'image/jpeg', name: '250912101108115409-办理附件-aaaaaaaaaaaa.jpg' },
        { sha256: sha('b'), mime: 'image/png', name: '250912101108115409-办理附件-bbbbbbbbbbbb.png' },
      ],
    });
    const reordered = input();
    const swapped = { ...reordered, result: { ...reordered.result, photos: { ...reordered.result.photos, handling: [sha('b'), sha('a')] } } };
    const names = (value: ReturnType<typeof planField>) => (value.type === 'files' ? value.photos.map((p) => p.name).sort() : []);
    expect(names(planField(handling, swapped))).toEqual(names(planField(handling, input())));
  });

  it('sends 处置前/处置后 photos as handling photos (办理附件): the stage is no portal kind', () => {
    const handling = field({ source: 'photos.handling', widget: { kind: 'file', uploaded: { within: 'td', item: 'li' } } });
    const paired: ReplyInput = { ...input(), photos: input().photos.map((p, i) => (i < 2 ? { ...p, stage: i === 0 ? 'before' : 'after' } : p)) as ReplyInput['photos'] };
    const planned = planField(handling, paired);
    expect(planned.type === 'files' ? planned.photos.map((p) => p.name) : []).toEqual([
      '250912101108115409-办理附件-aaaaaaaaaaaa.jpg',
      '250912101108115409-办理附件-bbbbbbbbbbbb.png',
    ]);
  });

  it('skips what the result does not have, saying why', () => {
    const resolved = input({ resolution: 'resolved', unresolvedReason: undefined });
    expect(planField(field({ source: 'unresolvedReason', widget: { kind: 'textarea' } }), resolved)).toEqual({ type: 'skip', reason: { code: 'resolved_no_reason' } });
    expect(planField(field({ source: 'photos.document', widget: { kind: 'file', uploaded: { within: 'td', item: 'li' } } }), input()).type).toBe('skip');
    expect(planField(field({ source: 'resultCategory', widget: { kind: 'text' } }), input()).type).toBe('skip');
  });

  it('chooses a fixed text from a list by that text', () => {
    const plan = planField(field({ source: 'fixed', fixed: '办结申请', widget: { kind: 'layui-select' } }), input());
    expect(plan).toEqual({ type: 'choice', value: '办结申请', accept: ['办结申请'] });
    expect(describePlanned(plan)).toBe('办结申请');
  });

  it('plans every reply field of a built-in adapter from a derived order view', () => {
    const adapter = builtinAdapter('demo-element-plus') as PortalAdapter;
    const fromView = replyInputOf({ orderNo: '250912101108115409', result: input().result, photos: input().photos } as Parameters<typeof replyInputOf>[0]);
    const plan = planReply(adapter, fromView!);
    expect(plan.fields.map((p) => p.field.key)).toEqual(adapter.reply!.fields.map((f) => f.key));
    expect(plan.fields.filter((p) => p.value.type === 'skip').map((p) => p.field.key)).toEqual(['zjfj']);
    // The plan knows its order and where the reply page shows it.
    expect(plan.orderNo).toBe('250912101108115409');
    expect(plan.orderNoAt).toEqual(adapter.reply!.orderNo);
    const { orderNo: _at, ...noNumber } = adapter.reply!;
    expect(planReply({ ...adapter, reply: noNumber }, fromView!).orderNoAt).toBeNull();
    expect(replyInputOf({ orderNo: 'x', result: null, photos: [] })).toBeNull();
  });
});

describe('matchOption', () => {
  it('matches as a person reads: spaces, colons, full-width and the first acceptable word', () => {
    expect(matchOption(['请选择', ' 是 ', '否'], ['是'])).toBe(1);
    expect(matchOption(['已解决：', '未解决'], ['部分解决', '未解决'])).toBe(1);
    expect(matchOption(['ＡＰＰ'], ['app'])).toBe(0);
    expect(matchOption(['是', '否'], ['不属实'])).toBe(-1);
  });
});

describe('无法联系', () => {
  const contacted = field({ source: 'contacted', widget: { kind: 'select' } });
  const unreachable = input({ contact: { contacted: false, unreachable: true, note: '三次拨打无人接听' } });
  const notContacted = input({ contact: { contacted: false, note: '匿名来电' } });

  it('is written as the portal\'s 无法联系 where it has one, else as not contacted', () => {
    const plan = planField(contacted, unreachable);
    expect(plan).toMatchObject({ type: 'choice', value: 'unreachable' });
    if (plan.type !== 'choice') return;
    expect(matchOption(['请选择', '已联系', '无法联系', '未联系'], plan.accept)).toBe(2);
    expect(matchOption(['是', '否'], plan.accept)).toBe(1);
    const not = planField(contacted, notContacted);
    if (not.type !== 'choice') throw new Error('not a choice');
    expect(matchOption(['请选择', '已联系', '无法联系', '未联系'], not.accept)).toBe(3);
  });

  it('leaves the contact time out, saying why', () => {
    expect(planField(field({ source: 'contactTime', widget: { kind: 'text' } }), unreachable)).toEqual({ type: 'skip', reason: { code: 'not_in_result_unreachable', source: 'contactTime' } });
  });
});
