/** 常用语: the unit's then the worker's own, inserted with one tap as Chinese prose. */
import { describe, expect, it } from 'vitest';
import { EMPTY_PHRASES, OWN_PHRASES_MAX, UNIT_DEFAULT_PHRASES, addPhrase, insertPhrase, phrasesFor, readPhraseBook, removePhrase } from '#shared/order/quick-phrases.ts';

describe('quick phrases', () => {
  it("lists the unit's phrases then the worker's own, each once", () => {
    const own = addPhrase(addPhrase(EMPTY_PHRASES, 'actions', '已清理占道杂物'), 'actions', UNIT_DEFAULT_PHRASES.actions[0]!);
    const list = phrasesFor('actions', UNIT_DEFAULT_PHRASES, own);
    expect(list.slice(0, UNIT_DEFAULT_PHRASES.actions.length)).toEqual(UNIT_DEFAULT_PHRASES.actions);
    expect(list.filter((p) => p === UNIT_DEFAULT_PHRASES.actions[0])).toHaveLength(1);
    expect(list.at(-1)).toBe('已清理占道杂物');
    expect(phrasesFor('returnReason', UNIT_DEFAULT_PHRASES, own)).toEqual(UNIT_DEFAULT_PHRASES.returnReason);
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
