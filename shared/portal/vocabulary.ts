/**
 * The words portals use for our values, and matching a portal's option text
 * against them. An adapter adds its portal's own words on top (`values`).
 */
import type { Channel, OrderType } from '../order/intake.ts';
import type { Vocabulary } from './adapter.ts';

/** An order's category (诉求分类, data sent to the server, not display text) when the portal names none. */
export const DEFAULT_CATEGORY = '其他';

export const YES_NO: Vocabulary = {
  yes: ['是', '属实', '有', '已联系'],
  no: ['否', '不属实', '无', '未联系'],
};

/**
 * 联系群众 as an outcome: contacted, tried without reaching the citizen (无法联系),
 * or not contacted. A portal that only knows yes / no gets 否 / 未联系 for the
 * unreachable, its words coming after the portal's own 无法联系.
 */
export const CONTACT_OUTCOME_WORDS: Vocabulary = {
  yes: ['已联系', '是', '有', '联系成功'],
  unreachable: ['无法联系', '联系不上', '未能联系', '无法联系群众', '未接通', '未联系', '否'],
  no: ['未联系', '否', '无', '不需联系'],
};

export const RESOLUTION_WORDS: Vocabulary = {
  resolved: ['已解决', '解决'],
  partly: ['部分解决', '基本解决'],
  unresolved: ['未解决', '不能解决', '无法解决'],
};

export const CONTACT_METHOD_WORDS: Vocabulary = {
  phone: ['电话', '电话联系', '电话回复'],
  visit: ['上门', '当面', '现场', '走访', '上门走访'],
  sms: ['短信'],
  wechat: ['微信'],
  other: ['其他', '其它'],
};

export const ORDER_TYPE_WORDS: Record<OrderType, readonly string[]> = {
  help: ['求助', '求助类'],
  enquiry: ['咨询', '咨询类'],
  complaint: ['投诉', '投诉类', '举报'],
  suggestion: ['建议', '建议类'],
  praise: ['表扬', '表扬类'],
  other: ['其他', '其它'],
};

export const CHANNEL_WORDS: Record<Channel, readonly string[]> = {
  phone: ['电话', '热线电话', '12345热线'],
  wechat: ['微信', '微信公众号'],
  web: ['网站', '网页', '门户网站'],
  app: ['App', 'APP', '客户端'],
  mayor_mailbox: ['市长信箱'],
  provincial: ['省平台', '省12345平台'],
  people_board: ['人民网留言板', '领导留言板'],
  field: ['网格上报'],
  other: ['其他', '其它'],
};

/** Compare texts as a person reads them: no spaces, no trailing colon or required-star, full-width folded. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^[*＊]+|[*＊:：]+$/g, '')
    .toLowerCase();
}

/** The portal words for `value`: the adapter's first (its preferred spelling), then the built-in ones. */
export function wordsFor(value: string, builtIn: Vocabulary | Record<string, readonly string[]>, adapter?: Vocabulary): string[] {
  const words = [...(adapter?.[value] ?? []), ...(builtIn[value] ?? [])];
  return [...new Set(words)];
}

/** Index of the option whose text is one of `accept`, earlier words winning; -1 when none is. */
export function matchOption(options: readonly string[], accept: readonly string[]): number {
  const normalized = options.map(normalizeText);
  for (const word of accept) {
    const index = normalized.indexOf(normalizeText(word));
    if (index >= 0) return index;
  }
  return -1;
}

/** Our value for a portal text (`求助类` → `help`), or null. */
export function valueForWord<K extends string>(
  word: string,
  builtIn: Record<K, readonly string[]>,
  adapter?: Vocabulary,
): K | null {
  const target = normalizeText(word);
  for (const key of Object.keys(builtIn) as K[]) {
    if (wordsFor(key, builtIn, adapter).some((w) => normalizeText(w) === target)) return key;
  }
  return null;
}
