/**
 * From the texts read on a portal's order page to an intake-shaped record.
 * The runtime adds what a portal page cannot say (our id, the place in the
 * organisation, the source) before it sends the intake to the server.
 */
import type { Channel, OrderType } from '../order/intake.ts';
import type { OrderField, PortalAdapter, Vocabulary } from './adapter.ts';
import { parsePortalDate } from './dates.ts';
import type { Reason, ReasonOf } from './reasons.ts';
import { CHANNEL_WORDS, DEFAULT_CATEGORY, ORDER_TYPE_WORDS, valueForWord } from './vocabulary.ts';

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
  /** 区县 / 街道 / 社区 as the portal names them, when it shows them (placement on import). */
  readonly place?: PortalPlaceNames;
}

export interface PortalPlaceNames {
  readonly district?: string;
  readonly street?: string;
  readonly community?: string;
}

/** How a field is understood: its time format, its words, whether it may be missing (an order field or a list column). */
export interface FieldReading {
  readonly key: OrderField;
  readonly format?: string;
  readonly values?: Vocabulary;
  readonly optional?: boolean;
}

/**
 * What is wrong with one field, as data: a reason code and its variables
 * (reasons.ts), worded by the extension's panel in the clerk's language —
 * never display text. Not shared/validation's FieldError (a message for the
 * server's validation): the panel also reports a field the engine could not
 * find with the engine's own reason, so every problem of an order page is a
 * field and a Reason.
 */
export interface RecordProblem {
  readonly field: OrderField;
  readonly reason: Reason;
}

/** The reasons order-record.ts itself gives. */
export type RecordReason = ReasonOf<'record_missing' | 'record_not_order_no' | 'record_time_format' | 'record_word_unknown' | 'record_other_order'>;

export interface OrderRecordResult {
  readonly record: PortalOrderRecord;
  /** Per field, what could not be understood; the record then holds a fallback the clerk must check. */
  readonly problems: readonly RecordProblem[];
}

const TITLE_LENGTH = 30;
const DEFAULT_TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss';

export function toOrderRecord(adapter: PortalAdapter, raw: RawOrderTexts, readings: readonly FieldReading[] = adapter.order?.fields ?? []): OrderRecordResult {
  const fields = new Map<OrderField, FieldReading>(readings.map((f) => [f.key, f]));
  const problems: RecordProblem[] = [];
  const problem = (field: OrderField, reason: RecordReason) => problems.push({ field, reason });
  const textOf = (key: OrderField): string => (raw[key] ?? '').replace(/\s+/g, ' ').trim();

  const time = (key: 'receivedAt' | 'deadline'): number | null => {
    const value = textOf(key);
    if (!value) return null;
    const format = fields.get(key)?.format ?? DEFAULT_TIME_FORMAT;
    const parsed = parsePortalDate(value, format) ?? parsePortalDate(value, format.replace(/:ss$/, ''));
    if (parsed === null) problem(key, { code: 'record_time_format', value, format });
    return parsed;
  };

  const word = <K extends string>(key: 'type' | 'channel', table: Record<K, readonly string[]>, fallback: K): K => {
    const value = textOf(key);
    if (!value) return fallback;
    const found = valueForWord(value, table, fields.get(key)?.values);
    if (found === null) problem(key, { code: 'record_word_unknown', field: key, value, fallback });
    return found ?? fallback;
  };

  const orderNo = textOf('orderNo').replace(/\s/g, '');
  if (!/^[A-Za-z0-9-]{4,40}$/.test(orderNo)) problem('orderNo', orderNo ? { code: 'record_not_order_no', value: orderNo } : { code: 'record_missing' });
  const content = textOf('content');
  const phone = textOf('citizenPhone').replace(/[^0-9+ -]/g, '');
  const unit = textOf('handlingUnit');
  const place = Object.fromEntries((['district', 'street', 'community'] as const).map((k) => [k, textOf(k).slice(0, 50)]).filter(([, v]) => v));

  for (const key of ['content', 'address'] as const) {
    if (!textOf(key) && !fields.get(key)?.optional) problem(key, { code: 'record_missing' });
  }

  return {
    record: {
      orderNo,
      receivedAt: time('receivedAt'),
      deadline: time('deadline'),
      channel: word('channel', CHANNEL_WORDS, 'phone'),
      type: word('type', ORDER_TYPE_WORDS, 'other'),
      category: textOf('category') || DEFAULT_CATEGORY,
      title: textOf('title') || titleFrom(content),
      content,
      address: textOf('address'),
      citizen: { name: textOf('citizenName'), ...(phone ? { phone } : {}) },
      ...(unit ? { handlingUnit: unit } : {}),
      ...(Object.keys(place).length ? { place: place as PortalPlaceNames } : {}),
    },
    problems,
  };
}

/**
 * An order from a portal's list: the row's columns, and what its order page
 * said when it was read too (that page wins where both say something). The
 * page must be the row's own order: another number is a problem, never mixed.
 */
export function listRecord(adapter: PortalAdapter, row: RawOrderTexts, page: RawOrderTexts | null): OrderRecordResult {
  const pageTexts = Object.fromEntries(Object.entries(page ?? {}).filter(([, text]) => (text ?? '').trim() !== '')) as RawOrderTexts;
  const merged: RawOrderTexts = { ...row, ...pageTexts };
  const fromPage = new Set(Object.keys(pageTexts));
  const readings: FieldReading[] = [
    ...(adapter.order?.fields ?? []).filter((f) => fromPage.has(f.key)),
    ...(adapter.list?.columns ?? []).filter((c) => !fromPage.has(c.key)),
  ];
  const result = toOrderRecord(adapter, merged, readings);
  const listed = (row.orderNo ?? '').replace(/\s/g, '');
  const shown = (pageTexts.orderNo ?? '').replace(/\s/g, '');
  if (page && shown && listed && shown !== listed) {
    const other: RecordReason = { code: 'record_other_order', listed, shown };
    return { ...result, problems: [...result.problems, { field: 'orderNo', reason: other }] };
  }
  return result;
}

/** Portals without a title field: the first sentence of the citizen's words, shortened. */
export function titleFrom(content: string): string {
  const first = content.split(/[。！？!?\n]/)[0]?.trim() ?? '';
  const base = first || content.trim();
  return base.length > TITLE_LENGTH ? `${base.slice(0, TITLE_LENGTH)}…` : base;
}
