/**
 * 常用语: short phrases a worker inserts with one tap instead of typing, for
 * 办理情况, 公开答复 and 退回 reasons. The units' phrases come first — those
 * set for the worker's own unit, then those of each unit above it (a street's
 * phrases reach its communities and grids), with the defaults here for a
 * field no unit set — then the worker's own, saved on the device per user.
 * Units' phrases are set on the server by whoever manages the unit
 * (`mayManageUnitPhrases`) and reach devices with the organisation
 * (`GET /api/org`, kept on the device for offline use). Pure: storage is the
 * app's and the server's.
 */
import * as v from 'valibot';
import { isWithin, type OrgTree } from '../org/units.ts';
import type { Role } from '../org/roles.ts';

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

/** Phrases a unit may set per field. */
export const UNIT_PHRASES_MAX = 30;

/** Phrases set per unit, by unit id. */
export type UnitPhrases = Readonly<Record<string, PhraseBook>>;

const PhraseListSchema = v.pipe(
  v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(PHRASE_MAX, `at most ${PHRASE_MAX} characters`))),
  v.maxLength(UNIT_PHRASES_MAX, `at most ${UNIT_PHRASES_MAX} phrases`),
  v.transform((list) => [...new Set(list)]),
);

/** A unit's phrase book as the server takes it (PUT) and gives it (GET /api/org). */
export const PhraseBookSchema = v.object({ actions: PhraseListSchema, publicReply: PhraseListSchema, returnReason: PhraseListSchema });

/**
 * Who may set a unit's phrases: an admin any unit's; a street's clerk their
 * street's and those of its communities and grids. Nobody else (the server
 * checks this on every write; the app shows the editor by it).
 */
export function mayManageUnitPhrases(tree: OrgTree, user: { readonly role: Role; readonly unitId: string }, unitId: string): boolean {
  if (!tree.units.has(unitId)) return false;
  if (user.role === 'admin') return true;
  return user.role === 'street_clerk' && isWithin(tree, unitId, user.unitId);
}

/**
 * The phrases a worker of the unit `chain[0]` gets from the units: for each
 * field, those set by the unit itself, then by each unit above it (`chain` is
 * the unit and its ancestors, nearest first, as `ancestorsOf` lists them), each
 * once; the defaults when no unit of the chain set any for that field.
 */
export function unitPhrasesFor(chain: readonly string[], set: UnitPhrases): PhraseBook {
  const book: Record<PhraseField, readonly string[]> = { ...UNIT_DEFAULT_PHRASES };
  for (const field of PHRASE_FIELDS) {
    const found = chain.flatMap((unitId) => set[unitId]?.[field] ?? []);
    if (found.length > 0) book[field] = [...new Set(found)];
  }
  return book;
}

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

/** A stored phrase book read back, keeping only what is well formed (at most `max` phrases a field, the last ones). */
export function readPhraseBook(raw: unknown, max = OWN_PHRASES_MAX): PhraseBook {
  const book: Record<PhraseField, string[]> = { actions: [], publicReply: [], returnReason: [] };
  if (typeof raw !== 'object' || raw === null) return book;
  for (const field of PHRASE_FIELDS) {
    const list = (raw as Record<string, unknown>)[field];
    if (Array.isArray(list)) book[field] = list.filter((p): p is string => typeof p === 'string' && p.trim().length > 0).map((p) => p.slice(0, PHRASE_MAX)).slice(-max);
  }
  return book;
}
