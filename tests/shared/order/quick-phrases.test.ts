/** 常用语: the unit's then the worker's own, inserted with one tap as Chinese prose. */
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  EMPTY_PHRASES,
  OWN_PHRASES_MAX,
  PhraseBookSchema,
  UNIT_DEFAULT_PHRASES,
  addPhrase,
  insertPhrase,
  mayManageUnitPhrases,
  phrasesFor,
  readPhraseBook,
  removePhrase,
  unitPhrasesFor,
} from '#shared/order/quick-phrases.ts';
import { ancestorsOf, buildOrgTree, type Unit } from '#shared/org/units.ts';

const unit = (id: string, kind: Unit['kind'], parentId: string | null): Unit => ({ id, kind, name: id, parentId });
const tree = buildOrgTree([
  unit('city', 'city', null),
  unit('d1', 'district', 'city'),
  unit('s1', 'street', 'd1'),
  unit('c1', 'community', 's1'),
  unit('g1', 'grid', 'c1'),
  unit('s2', 'street', 'd1'),
  unit('c2', 'community', 's2'),
  unit('g2', 'grid', 'c2'),
]);
const chain = (unitId: string) => ancestorsOf(tree, unitId).map((u) => u.id);

describe('quick phrases', () => {
  it("lists the unit's phrases then the worker's own, each once", () => {
    const own = addPhrase(addPhrase(EMPTY_PHRASES, 'actions', '已清理占道杂物'), 'actions', UNIT_DEFAULT_PHRASES.actions[0]!);
    const list = phrasesFor('actions', UNIT_DEFAULT_PHRASES, own);
    expect(list.slice(0, UNIT_DEFAULT_PHRASES.actions.length)).toEqual(UNIT_DEFAULT_PHRASES.actions);
    expect(list.filter((p) => p === UNIT_DEFAULT_PHRASES.actions[0])).toHaveLength(1);
    expect(list.at(-1)).toBe('已清理占道杂物');
    expect(phrasesFor('returnReason', UNIT_DEFAULT_PHRASES, own)).toEqual(UNIT_DEFAULT_PHRASES.returnReason);
  });

  it("merges the units' phrases nearest unit first, each once, then the worker's own; defaults only for a field no unit set", () => {
    const set = {
      s1: { actions: ['街道：已现场核实', '共用'], publicReply: ['街道答复'], returnReason: [] },
      g1: { actions: ['网格：已清理', '共用'], publicReply: [], returnReason: [] },
      city: { actions: ['全市：已联系部门'], publicReply: [], returnReason: [] },
      s2: { actions: ['另一街道'], publicReply: [], returnReason: ['另一街道的原因'] },
    };
    const units = unitPhrasesFor(chain('g1'), set);
    expect(units.actions).toEqual(['网格：已清理', '共用', '街道：已现场核实', '全市：已联系部门']);
    expect(units.publicReply).toEqual(['街道答复']);
    expect(units.returnReason).toEqual(UNIT_DEFAULT_PHRASES.returnReason);
    const own = addPhrase(addPhrase(EMPTY_PHRASES, 'actions', '我自己的'), 'actions', '共用');
    expect(phrasesFor('actions', units, own)).toEqual(['网格：已清理', '共用', '街道：已现场核实', '全市：已联系部门', '我自己的']);
    expect(unitPhrasesFor(chain('g1'), {})).toEqual(UNIT_DEFAULT_PHRASES);
    expect(unitPhrasesFor(chain('c1'), set).actions).toEqual(['街道：已现场核实', '共用', '全市：已联系部门']);
  });

  it('lets an admin manage any unit’s phrases and a street clerk only their street’s branch', () => {
    const clerk = { role: 'street_clerk', unitId: 's1' } as const;
    expect(['s1', 'c1', 'g1'].map((id) => mayManageUnitPhrases(tree, clerk, id))).toEqual([true, true, true]);
    expect(['d1', 'city', 's2', 'g2', 'nowhere'].map((id) => mayManageUnitPhrases(tree, clerk, id))).toEqual([false, false, false, false, false]);
    expect(mayManageUnitPhrases(tree, { role: 'admin', unitId: 'city' }, 'g2')).toBe(true);
    expect(mayManageUnitPhrases(tree, { role: 'admin', unitId: 'city' }, 'nowhere')).toBe(false);
    for (const role of ['grid_worker', 'community_handler', 'supervisor'] as const) expect(mayManageUnitPhrases(tree, { role, unitId: role === 'supervisor' ? 'd1' : 'g1' }, 'g1')).toBe(false);
  });

  it('takes a unit book trimmed, without empty or repeated phrases, bounded', () => {
    expect(v.parse(PhraseBookSchema, { actions: [' 甲 ', '甲'], publicReply: [], returnReason: [] }).actions).toEqual(['甲']);
    expect(v.safeParse(PhraseBookSchema, { actions: ['  '], publicReply: [], returnReason: [] }).success).toBe(false);
    expect(v.safeParse(PhraseBookSchema, { actions: Array.from({ length: 31 }, (_, i) => `第${i}`), publicReply: [], returnReason: [] }).success).toBe(false);
  });

  it('keeps own phrases trimmed, non-empty, distinct and bounded; removes on request', () => {
    let own = addPhrase(EMPTY_PHRASES, 'publicReply', '   ');
    expect(own).toBe(EMPTY_PHRASES);
    own = addPhrase(own, 'publicReply', ' 已处理 ');
    expect(addPhrase(own, 'publicReply', '已处理')).toBe(own);
    for (let i = 0; i < OWN_PHRASES_MAX + 5; i++) own = addPhrase(own, 'actions', `第${i}条`);
    expect(own.actions).toHaveLength(OWN_PHRASES_MAX);
    expect(removePhrase(own, 'publicReply', '已处理').publicReply).toEqual([]);
  });

  it('inserts after what is written, with one comma at most', () => {
    expect(insertPhrase('', '已到现场')).toBe('已到现场');
    expect(insertPhrase('已到现场', '已整改')).toBe('已到现场，已整改');
    expect(insertPhrase('已到现场。 ', '已整改')).toBe('已到现场。已整改');
  });

  it('reads back only well-formed stored books', () => {
    expect(readPhraseBook('nonsense')).toEqual(EMPTY_PHRASES);
    expect(readPhraseBook({ actions: ['a', 3, ''], publicReply: 'x' })).toEqual({ actions: ['a'], publicReply: [], returnReason: [] });
  });
});
