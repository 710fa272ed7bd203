/**
 * 常用语: short phrases a worker inserts with one tap instead of typing, for
 * 办理情况, 公开答复 and 退回 reasons. The unit's phrases come first (defaults
 * here until units configure their own), then the worker's own, saved on the
 * device per user. Pure: storage is the app's.
 */
export const PHRASE_FIELDS = ['actions', 'publicReply', 'returnReason'] as const;
export type PhraseField = (typeof PHRASE_FIELDS)[number];

export type PhraseBook = Readonly<Record<PhraseField, readonly string[]>>;

export const EMPTY_PHRASES: PhraseBook = { actions: [], publicReply: [], returnReason: [] };

/** The unit's phrases, until units set their own. */
export const UNIT_DEFAULT_PHRASES: PhraseBook = {
  actions: ['已到现场核实，情况属实', '已联系相关部门协调处理', '已现场整改完毕', '已电话联系诉求人说明情况'],
  publicReply: ['感谢您对我们工作的支持与监督。', '如仍有问题，欢迎再次来电反映。', '经现场核实，问题已处理完毕。'],
  returnReason: ['经核实，该地址不属于本网格辖区', '该诉求不属于本单位职责范围', '与已有工单重复', '地址信息不全，无法联系诉求人'],
};

/** Longest phrase kept: a phrase is a building block, not a reply. */
export const PHRASE_MAX = 100;
/** Own phrases kept per field; the oldest go first. */
export const OWN_PHRASES_MAX = 20;

/** The unit's phrases then the worker's own, each once. */
export function phrasesFor(field: PhraseField, unit: PhraseBook, own: PhraseBook): string[] {
  return [...new Set([...unit[field], ...own[field]])];
}

/** `own` with `phrase` added to `field` (trimmed, at most PHRASE_MAX characters), or unchanged when empty or already there. */
export function addPhrase(own: PhraseBook, field: PhraseField, phrase: string): PhraseBook {
  const text = phrase.trim().slice(0, PHRASE_MAX);
  if (!text || own[field].includes(text)) return own;
  return { ...own, [field]: [...own[field], text].slice(-OWN_PHRASES_MAX) };
}

export function removePhrase(own: PhraseBook, field: PhraseField, phrase: string): PhraseBook {
  return { ...own, [field]: own[field].filter((p) => p !== phrase) };
}

/** `text` with `phrase` appended, separated as Chinese prose is (no doubled punctuation). */
export function insertPhrase(text: string, phrase: string): string {
  const before = text.replace(/\s+$/u, '');
  if (!before) return phrase;
  const joiner = /[。！？；，、：.!?;,:]$/u.test(before) ? '' : '，';
  return `${before}${joiner}${phrase}`;
}

/** A stored phrase book read back, keeping only what is well formed. */
export function readPhraseBook(raw: unknown): PhraseBook {
  const book: Record<PhraseField, string[]> = { actions: [], publicReply: [], returnReason: [] };
  if (typeof raw !== 'object' || raw === null) return book;
  for (const field of PHRASE_FIELDS) {
    const list = (raw as Record<string, unknown>)[field];
    if (Array.isArray(list)) book[field] = list.filter((p): p is string => typeof p === 'string' && p.trim().length > 0).map((p) => p.slice(0, PHRASE_MAX)).slice(-OWN_PHRASES_MAX);
  }
  return book;
}
