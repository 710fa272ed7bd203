/** Reading an order page into an intake-shaped record (import, 导入工单). */
import type { OrderField, PortalAdapter } from '#shared/portal/adapter.ts';
import { toOrderRecord, type OrderRecordResult, type RawOrderTexts } from '#shared/portal/order-record.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { visibleText } from './dom.ts';
import { locate } from './locate.ts';
import { readPageOrder } from './order-guard.ts';

export interface FieldRead {
  readonly key: OrderField;
  readonly ok: boolean;
  readonly text: string;
  /** Why it was not found on the page, or what is wrong with what was read (the record's problem, shared/portal/order-record.ts). */
  readonly reason?: Reason;
}

export interface OrderPageRead extends OrderRecordResult {
  readonly texts: RawOrderTexts;
  readonly fields: readonly FieldRead[];
  /** True when every required field was found and understood. */
  readonly ok: boolean;
}

export function readOrderPage(top: Document, adapter: PortalAdapter): OrderPageRead {
  const texts: RawOrderTexts = {};
  const fields: FieldRead[] = [];
  for (const field of adapter.order?.fields ?? []) {
    const found = locate(top, field.locators, 'read');
    if (!found.ok) {
      fields.push({ key: field.key, ok: !!field.optional, text: '', reason: found.reason });
      continue;
    }
    const text = visibleText(found.element);
    texts[field.key] = text;
    fields.push({ key: field.key, ok: true, text });
  }
  const result = toOrderRecord(adapter, texts);
  const problems = new Map(result.problems.map((p) => [p.field, p.reason]));
  const checked = fields.map((f) => {
    const problem = problems.get(f.key);
    return f.ok && problem ? { ...f, ok: false, reason: problem } : f;
  });
  return { ...result, texts, fields: checked, ok: checked.every((f) => f.ok) && result.problems.length === 0 };
}

/**
 * The order number the reply page shows (the adapter's `reply.orderNo`), or
 * null when it shows none or it cannot be read: the longest run of 4–40
 * letters, digits and "-" with a digit in it, so `工单 2612… · 标题` works too.
 */
export function readReplyOrderNo(top: Document, adapter: PortalAdapter): string | null {
  const page = readPageOrder(top, adapter.reply?.orderNo ?? null);
  return page.status === 'shown' ? page.orderNo : null;
}
