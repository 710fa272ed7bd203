/**
 * Dates as portals write them. Times are China Standard Time (UTC+8, no
 * daylight saving), whatever the device's time zone, because that is the
 * portals' time.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

type Token = 'yyyy' | 'MM' | 'dd' | 'HH' | 'mm' | 'ss';
const TOKEN_RE = /yyyy|MM|dd|HH|mm|ss/g;

/** `formatPortalDate(t, 'yyyy年MM月dd日')` → `2026年12月01日`. */
export function formatPortalDate(time: number, format: string): string {
  const iso = new Date(time + CST_OFFSET_MS).toISOString();
  const parts: Record<Token, string> = {
    yyyy: iso.slice(0, 4),
    MM: iso.slice(5, 7),
    dd: iso.slice(8, 10),
    HH: iso.slice(11, 13),
    mm: iso.slice(14, 16),
    ss: iso.slice(17, 19),
  };
  return format.replace(TOKEN_RE, (token) => parts[token as Token]);
}

/**
 * Reads a date written in `format` (leading and trailing space ignored; digits
 * may be unpadded, as some portals print `2026/1/5`). Missing time parts are
 * 0. Null when the text does not fit the format or is not a real date.
 */
export function parsePortalDate(textValue: string, format: string): number | null {
  const order: Token[] = [];
  let pattern = '';
  let last = 0;
  for (const match of format.matchAll(TOKEN_RE)) {
    pattern += escapeRegex(format.slice(last, match.index)).replace(/\s+/g, '\\s+');
    pattern += match[0] === 'yyyy' ? '(\\d{4})' : '(\\d{1,2})';
    order.push(match[0] as Token);
    last = match.index + match[0].length;
  }
  pattern += escapeRegex(format.slice(last)).replace(/\s+/g, '\\s+');
  const found = new RegExp(`^${pattern}$`).exec(textValue.trim());
  if (!found) return null;
  const value: Record<Token, number> = { yyyy: 0, MM: 1, dd: 1, HH: 0, mm: 0, ss: 0 };
  order.forEach((token, i) => (value[token] = Number(found[i + 1])));
  const utc = Date.UTC(value.yyyy, value.MM - 1, value.dd, value.HH, value.mm, value.ss);
  const back = new Date(utc);
  // Date.UTC rolls 2026-02-30 over into March: such a date does not exist.
  if (back.getUTCMonth() !== value.MM - 1 || back.getUTCDate() !== value.dd || value.HH > 23 || value.mm > 59 || value.ss > 59) return null;
  return utc - CST_OFFSET_MS;
}

/** Whether the format writes a time of day; a date-only field loses it. */
export function formatHasTime(format: string): boolean {
  return format.includes('HH');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
