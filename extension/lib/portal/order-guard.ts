/**
 * Which order a reply page is for, and whether a plan may be written there.
 * A plan (shared/portal/reply-plan.ts) carries its order number and where the
 * reply page shows one (the adapter's `reply.orderNo`). The page's number
 * must be the plan's; where the page shows none, the clerk must have
 * confirmed this order on this very page (its URL). Anything else refuses,
 * naming both numbers — filling another order's form with this result is the
 * worst thing the extension could do.
 */
import type { ReplyPlan } from '#shared/portal/reply-plan.ts';
import type { Locator } from '#shared/portal/adapter.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { isTag, visibleText } from './dom.ts';
import { locate } from './locate.ts';

/** The clerk's word, with the order's number and title in view, that this page is that order's reply form. */
export interface ConfirmedOrder {
  readonly orderNo: string;
  /** The page (location.href) it was given on: it does not carry over to another page. */
  readonly url: string;
}

export type PageOrder =
  /** The page shows a number: `text` as shown, `orderNo` the order number in it. */
  | { readonly status: 'shown'; readonly orderNo: string; readonly text: string }
  /** The adapter says where the number is, and it is not there (or not a number). */
  | { readonly status: 'unreadable'; readonly reason: Reason }
  /** The adapter says the page shows none. */
  | { readonly status: 'not-shown' };

export type OrderCheck =
  | { readonly ok: true; readonly shown: string | null }
  | {
      readonly ok: false;
      readonly reason: Reason;
      /** The number the page shows, when it shows another one. */
      readonly shown: string | null;
      /** The page shows no number and the clerk has not confirmed this order here. */
      readonly needsConfirmation: boolean;
    };

const NUMBER = /[A-Za-z0-9-]+/g;

/** The order number a reply page shows, where `orderNoAt` says it is. */
export function readPageOrder(top: Document, orderNoAt: { readonly locators: readonly Locator[] } | null): PageOrder {
  return findPageOrder(top, orderNoAt).page;
}

function findPageOrder(top: Document, orderNoAt: { readonly locators: readonly Locator[] } | null): { page: PageOrder; element?: Element } {
  if (!orderNoAt) return { page: { status: 'not-shown' } };
  const found = locate(top, orderNoAt.locators, 'read');
  if (!found.ok) return { page: { status: 'unreadable', reason: found.reason } };
  const text = visibleText(found.element);
  const orderNo = likelyOrderNo(text);
  const page: PageOrder = orderNo ? { status: 'shown', orderNo, text } : { status: 'unreadable', reason: { code: 'not_order_no', text: text.slice(0, 60) } };
  return { page, element: found.element };
}

/** The longest run of letters, digits and "-" with a digit in it, 4–40 long: `工单 2612… · 标题` → `2612…`. */
function likelyOrderNo(text: string): string | null {
  const all: readonly string[] = text.match(NUMBER) ?? [];
  const runs = all.filter((run) => run.length >= 4 && run.length <= 40 && /\d/.test(run));
  return runs.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** Whether `plan` may be written into the page `top` shows now. */
export function checkReplyOrder(top: Document, plan: Pick<ReplyPlan, 'orderNo' | 'orderNoAt'>, confirmed?: ConfirmedOrder): OrderCheck {
  return judge(top, plan, findPageOrder(top, plan.orderNoAt).page, confirmed);
}

/**
 * The same check, repeated while a fill writes field after field. The first
 * call is the full check; later calls give its answer again while the address
 * is the same and the element that showed the number is still in the page
 * holding the same text — without locating the number again (by its label, a
 * walk of the whole page) and reading it as shown (which lays out the page
 * the fill has just written to). Anything else: the full check again.
 */
export function replyOrderWatch(top: Document, plan: Pick<ReplyPlan, 'orderNo' | 'orderNoAt'>, confirmed?: ConfirmedOrder): () => OrderCheck {
  let last: { url: string; element: Element | undefined; text: string | null; result: OrderCheck } | null = null;
  return () => {
    if (last && last.result.ok && top.URL === last.url && (last.element === undefined ? plan.orderNoAt === null : last.element.isConnected && heldText(last.element) === last.text)) {
      return last.result;
    }
    const found = findPageOrder(top, plan.orderNoAt);
    const result = judge(top, plan, found.page, confirmed);
    last = { url: top.URL, element: found.element, text: found.element ? heldText(found.element) : null, result };
    return result;
  };
}

/** What an element holds, read without a layout: a control's value, or its textContent. */
function heldText(el: Element): string {
  return isTag(el, 'input') || isTag(el, 'textarea') || isTag(el, 'select') ? visibleText(el) : (el.textContent ?? '');
}

function judge(top: Document, plan: Pick<ReplyPlan, 'orderNo' | 'orderNoAt'>, page: PageOrder, confirmed: ConfirmedOrder | undefined): OrderCheck {
  switch (page.status) {
    case 'not-shown': {
      if (confirmed?.orderNo === plan.orderNo && confirmed.url === top.URL) return { ok: true, shown: null };
      return { ok: false, shown: null, needsConfirmation: true, reason: { code: 'confirm_order', orderNo: plan.orderNo } };
    }
    case 'unreadable':
      return { ok: false, shown: null, needsConfirmation: false, reason: { code: 'order_no_unreadable', orderNo: plan.orderNo, cause: page.reason } };
    case 'shown': {
      // The plan's number as a whole run in what the page shows (`工单 2612… · 标题` too).
      const runs: readonly string[] = page.text.match(NUMBER) ?? [];
      if (runs.includes(plan.orderNo)) return { ok: true, shown: plan.orderNo };
      return {
        ok: false,
        shown: page.orderNo,
        needsConfirmation: false,
        reason: { code: 'other_order', shown: page.orderNo, orderNo: plan.orderNo },
      };
    }
  }
}
