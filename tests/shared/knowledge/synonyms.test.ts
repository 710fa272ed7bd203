import { describe, expect, it } from 'vitest';
import { formatSynonyms, parseSynonyms, SYNONYM_GROUPS_MAX } from '#shared/knowledge/synonyms.ts';

describe('synonym text', () => {
  it('reads one group a line, words split by / or spaces, blank lines skipped', () => {
    const parsed = parseSynonyms('电梯 / 升降梯\n\n犬只  宠物狗、狗\n公租房／公共租赁住房');
    expect(parsed.errors).toEqual([]);
    expect(parsed.groups).toEqual([['电梯', '升降梯'], ['犬只', '宠物狗', '狗'], ['公租房', '公共租赁住房']]);
  });

  it('names the line of a group with one word, too many words or a word too long', () => {
    const long = '长'.repeat(21);
    const many = Array.from({ length: 21 }, (_, i) => `词${i}`).join(' ');
    const parsed = parseSynonyms(`电梯\n电梯 升降梯\n电梯 ${long}\n${many}\n电梯 电梯`);
    expect(parsed.errors).toEqual([
      { line: 1, code: 'one_word' },
      { line: 3, code: 'word_too_long', word: long },
      { line: 4, code: 'too_many_words' },
      { line: 5, code: 'one_word' },
    ]);
    expect(parsed.groups).toEqual([['电梯', '升降梯']]);
  });

  it('round-trips the groups through the text', () => {
    const groups = [['电梯', '升降梯'], ['犬只', '宠物狗']];
    expect(parseSynonyms(formatSynonyms(groups))).toEqual({ groups, errors: [], tooManyGroups: false });
  });

  it('says when there are more groups than the server takes', () => {
    const text = Array.from({ length: SYNONYM_GROUPS_MAX + 1 }, (_, i) => `a${i} b${i}`).join('\n');
    expect(parseSynonyms(text).tooManyGroups).toBe(true);
  });
});
