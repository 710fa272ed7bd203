/**
 * From the texts read on a portal's order page to an intake-shaped record.
 * The runtime adds what a portal page cannot say (our id, the place in the
 * organisation, the source) before it sends the intake to the server.
 */
import type { Channel, OrderType } from '../order/intake.ts';
import type { FieldError } from '../validation/result.ts';
import type { OrderField, PortalAdapter, ReadField } from './adapter.ts';
import { parsePortalDate } from './dates.ts';
import { CHANNEL_WORDS, ORDER_TYPE_WORDS, valueForWord } from './vocabulary.ts';

export type RawOrderTexts = Partial<Record<OrderField, string>>;

export interface PortalOrderRecord {
  readonly orderNo: string;
  readonly receivedAt: number | null;
  readonly deadline: number | null;
  readonly channel: Channel;
  readonly type: OrderType;
  readonly category: string;
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly citizen: { readonly name: string; readonly phone?: string };
  readonly handlingUnit?: string;
}

export interface OrderRecordResult {
  readonly record: PortalOrderRecord;
  /** Per field, what could not be understood; the record then holds a fallback the clerk must check. */
  readonly problems: readonly FieldError[];
}

const TITLE_LENGTH = 30;
const DEFAULT_TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss';

export function toOrderRecord(adapter: PortalAdapter, raw: RawOrderTexts): OrderRecordResult {
  const fields = new Map<OrderField, ReadField>((adapter.order?.fields ?? []).map((f) => [f.key, f]));
  const problems: FieldError[] = [];
  const textOf = (key: OrderField): string => (raw[key] ?? '').replace(/\s+/g, ' ').trim();

  const time = (key: 'receivedAt' | 'deadline'): number | null => {
    const value = textOf(key);
    if (!value) return null;
    const format = fields.get(key)?.format ?? DEFAULT_TIME_FORMAT;
    const parsed = parsePortalDate(value, format) ?? parsePortalDate(value, format.replace(/:ss$/, ''));
    if (parsed === null) problems.push({ field: key, message: `“${value}” does not fit the format ${format}` });
    return parsed;
  };

  const word = <K extends string>(key: 'type' | 'channel', table: Record<K, readonly string[]>, fallback: K): K => {
    const value = textOf(key);
    if (!value) return fallback;
    const found = valueForWord(value, table, fields.get(key)?.values);
    if (found === null) problems.push({ field: key, message: `unknown ${key} “${value}”, taken as ${fallback}` });
    return found ?? fallback;
  };

  const orderNo = textOf('orderNo').replace(/\s/g, '');
  if (!/^[A-Za-z0-9-]{4,40}$/.test(orderNo)) problems.push({ field: 'orderNo', message: orderNo ? `“${orderNo}” is not an order number` : 'missing' });
  const content = textOf('content');
  const phone = textOf('citizenPhone').replace(/[^0-9+ -]/g, '');
  const unit = textOf('handlingUnit');

  for (const key of ['content', 'address'] as const) {
    if (!textOf(key) && !fields.get(key)?.optional) problems.push({ field: key, message: 'missing' });
  }

  return {
    record: {
      orderNo,
      receivedAt: time('receivedAt'),
      deadline: time('deadline'),
      channel: word('channel', CHANNEL_WORDS, 'phone'),
      type: word('type', ORDER_TYPE_WORDS, 'other'),
      category: textOf('category') || '其他',
      title: textOf('title') || titleFrom(content),
      content,
      address: textOf('address'),
      citizen: { name: textOf('citizenName'), ...(phone ? { phone } : {}) },
      ...(unit ? { handlingUnit: unit } : {}),
    },
    problems,
  };
}

/** Portals without a title field: the first sentence of the citizen's words, shortened. */
export function titleFrom(content: string): string {
  const first = content.split(/[。！？!?\n]/)[0]?.trim() ?? '';
  const base = first || content.trim();
  return base.length > TITLE_LENGTH ? `${base.slice(0, TITLE_LENGTH)}…` : base;
}
