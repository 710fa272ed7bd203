/**
 * Dates as portals write them. Times are China Standard Time (UTC+8, no
 * daylight saving), whatever the device's time zone, because that is the
 * portals' time.
 *
 * A format is text with tokens: `yyyy` (year), `MM`/`M` (month), `dd`/`d`
 * (day), `HH`/`H` (hour, 0–23), `mm`/`m` (minute), `ss`/`s` (second). The
 * doubled letter is zero-padded (`03`), the single one is not (`3`); anything
 * else is literal. A date is compared as a moment at the format's precision
 * (its finest part), never as a string: `2026年12月3日` and `2026年12月03日` are
 * the same day.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';
export type DateToken = 'yyyy' | 'MM' | 'M' | 'dd' | 'd' | 'HH' | 'H' | 'mm' | 'm' | 'ss' | 's';
/** The finest part a format shows. */
export type DatePrecision = 'day' | 'hour' | 'minute' | 'second';

const TOKENS: Record<DateToken, { readonly part: DatePart; readonly padded: boolean }> = {
  yyyy: { part: 'year', padded: true },
  MM: { part: 'month', padded: true },
  M: { part: 'month', padded: false },
  dd: { part: 'day', padded: true },
  d: { part: 'day', padded: false },
  HH: { part: 'hour', padded: true },
  H: { part: 'hour', padded: false },
  mm: { part: 'minute', padded: true },
  m: { part: 'minute', padded: false },
  ss: { part: 'second', padded: true },
  s: { part: 'second', padded: false },
};
export const DATE_TOKENS = Object.keys(TOKENS) as DateToken[];

/** Longest first, so `MM` is one token and not two `M`s. */
const TOKEN_RE = /yyyy|MM|M|dd|d|HH|H|mm|m|ss|s/g;

type Piece = { readonly literal: string } | { readonly token: DateToken };

function pieces(format: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of format.matchAll(TOKEN_RE)) {
    if (match.index > last) out.push({ literal: format.slice(last, match.index) });
    out.push({ token: match[0] as DateToken });
    last = match.index + match[0].length;
  }
  if (last < format.length) out.push({ literal: format.slice(last) });
  return out;
}

const tokenOf = (piece: Piece | undefined): DateToken | null => (piece && 'token' in piece ? piece.token : null);

/** China time's calendar parts of a moment. */
function partsOf(time: number): Record<DatePart, number> {
  const d = new Date(time + CST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/**
 * Why `format` cannot be used, or null. It needs a year (`yyyy`), a month and
 * a day; each part at most once; minutes only with hours, seconds only with
 * minutes; and an unpadded token must not touch another token (`yyyyMd` could
 * be 1 December or 12 January).
 */
export function dateFormatProblem(format: string): string | null {
  const list = pieces(format);
  const tokens = list.flatMap((p) => ('token' in p ? [p.token] : []));
  const parts = tokens.map((t) => TOKENS[t].part);
  if (!tokens.includes('yyyy') || !parts.includes('month') || !parts.includes('day')) return 'a date format needs yyyy, a month (MM or M) and a day (dd or d)';
  if (new Set(parts).size !== parts.length) return 'each part of the date may appear once';
  if (parts.includes('minute') && !parts.includes('hour')) return 'minutes (mm, m) need hours (HH, H)';
  if (parts.includes('second') && !parts.includes('minute')) return 'seconds (ss, s) need minutes (mm, m)';
  for (const [i, piece] of list.entries()) {
    const token = tokenOf(piece);
    if (!token || TOKENS[token].padded) continue;
    if (tokenOf(list[i - 1]) || tokenOf(list[i + 1])) return `the unpadded ${token} needs a separator from its neighbours (or use ${token}${token})`;
  }
  return null;
}

/** The finest part `format` shows: what a date in it can say. */
export function datePrecision(format: string): DatePrecision {
  const parts = new Set(pieces(format).flatMap((p) => ('token' in p ? [TOKENS[p.token].part] : [])));
  return parts.has('second') ? 'second' : parts.has('minute') ? 'minute' : parts.has('hour') ? 'hour' : 'day';
}

/** Whether the format writes a time of day; a date-only field loses it. */
export function formatHasTime(format: string): boolean {
  return datePrecision(format) !== 'day';
}

/** `time` cut to what `format` shows (China time): the start of its day, hour, minute or second. */
export function truncateToFormat(time: number, format: string): number {
  const p = partsOf(time);
  const precision = datePrecision(format);
  const hour = precision === 'day' ? 0 : p.hour;
  const minute = precision === 'day' || precision === 'hour' ? 0 : p.minute;
  const second = precision === 'second' ? p.second : 0;
  return Date.UTC(p.year, p.month - 1, p.day, hour, minute, second) - CST_OFFSET_MS;
}

/** `formatPortalDate(t, 'yyyy年MM月dd日')` → `2026年12月01日`; `'yyyy年M月d日'` → `2026年12月1日`. */
export function formatPortalDate(time: number, format: string): string {
  const p = partsOf(time);
  return pieces(format)
    .map((piece) => {
      if ('literal' in piece) return piece.literal;
      const { part, padded } = TOKENS[piece.token];
      const n = p[part];
      return part === 'year' ? String(n).padStart(4, '0') : padded ? String(n).padStart(2, '0') : String(n);
    })
    .join('');
}

/**
 * Reads a date written in `format` (leading and trailing space ignored, any
 * run of space where the format has one). Padded tokens take unpadded digits
 * too, as portals print `2026/1/5` for `yyyy/MM/dd`, except where two numbers
 * touch (`yyyyMMdd`): there each takes exactly its width. Missing time parts
 * are 0. Null when the text does not fit the format or is not a real date.
 */
export function parsePortalDate(textValue: string, format: string): number | null {
  const list = pieces(format);
  const order: DatePart[] = [];
  let pattern = '';
  for (const [i, piece] of list.entries()) {
    if ('literal' in piece) {
      pattern += escapeRegex(piece.literal).replace(/\s+/g, '\\s+');
      continue;
    }
    const { part, padded } = TOKENS[piece.token];
    const touching = tokenOf(list[i - 1]) !== null || tokenOf(list[i + 1]) !== null;
    pattern += part === 'year' ? '(\\d{4})' : padded && touching ? '(\\d{2})' : '(\\d{1,2})';
    order.push(part);
  }
  const found = new RegExp(`^${pattern}$`).exec(textValue.trim());
  if (!found) return null;
  const value: Record<DatePart, number> = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  order.forEach((part, i) => (value[part] = Number(found[i + 1])));
  const utc = Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (back.getUTCFullYear() !== value.year || back.getUTCMonth() !== value.month - 1 || back.getUTCDate() !== value.day) return null;
  if (value.hour > 23 || value.minute > 59 || value.second > 59) return null;
  return utc - CST_OFFSET_MS;
}

/**
 * Whether `shown` (what a page displays) is the moment `time` in `format`, at
 * the format's precision: `same` or `different`, or `unreadable` when `shown`
 * is not a date in that format at all.
 */
export function compareShownDate(time: number, shown: string, format: string): 'same' | 'different' | 'unreadable' {
  const parsed = parsePortalDate(shown, format);
  if (parsed === null) return 'unreadable';
  return parsed === truncateToFormat(time, format) ? 'same' : 'different';
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
