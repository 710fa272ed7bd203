/**
 * A portal's order list (import of several orders): each row's columns by
 * their header text, the row's link to the order's own page, and reading
 * that page in a hidden frame of this page (same origin only) for what a list
 * does not show. Teach mode finds a list's rows and a column's header from a
 * clicked cell.
 */
import * as v from 'valibot';
import { CssSelectorSchema, type ListPage, type OrderField, type PortalAdapter } from '#shared/portal/adapter.ts';
import type { RawOrderTexts } from '#shared/portal/order-record.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { urlMatches } from '#shared/portal/url.ts';
import { normalizeText } from '#shared/portal/vocabulary.ts';
import { isTag, resolveFrame, sleep, visibleText } from './dom.ts';
import { readOrderPage, type OrderPageRead } from './read-order.ts';
import { pageCheckPasses } from './recognise.ts';

export interface ListRow {
  /** 1-based, as the clerk counts the rows on the page. */
  readonly index: number;
  readonly texts: RawOrderTexts;
  /** The order's own page (absolute, same origin), when the list links to it. */
  readonly link: string | null;
}

export type ListRead = { readonly ok: true; readonly rows: readonly ListRow[] } | { readonly ok: false; readonly reason: Reason };

const cellsOf = (row: Element): Element[] => [...row.children].filter((c) => isTag(c, 'td') || isTag(c, 'th'));
const clean = (text: string): string => normalizeText(text).replace(/[:：*＊]+$/, '').replace(/^[*＊]/, '');

/** The header cells that label a row's cells: the table's row of `th`, or an ancestor's (tables split in two, as Element's). */
function headerCells(row: Element): Element[] {
  for (let node: Element | null = row.parentElement, depth = 0; node && depth < 6; node = node.parentElement, depth++) {
    const headRow = [...node.querySelectorAll('tr')].find((tr) => tr !== row && cellsOf(tr).some((c) => isTag(c, 'th')));
    if (headRow) return cellsOf(headRow);
  }
  return [];
}

function columnIndex(headers: readonly Element[], header: string): number {
  const wanted = clean(header);
  return headers.findIndex((h) => clean(h.textContent ?? '') === wanted);
}

export function readListPage(top: Document, list: ListPage, baseUrl: string): ListRead {
  const frame = resolveFrame(top, list.page.check.frame);
  if (!frame.ok) return { ok: false, reason: frame.reason };
  let rows: Element[];
  try {
    rows = [...frame.doc.querySelectorAll(list.rows)].filter((r) => !cellsOf(r).some((c) => isTag(c, 'th')));
  } catch {
    return { ok: false, reason: { code: 'list_rows_invalid' } };
  }
  if (rows.length === 0) return { ok: false, reason: { code: 'list_empty' } };
  const headers = headerCells(rows[0]!);
  const indexes = list.columns.map((c) => [c.key, columnIndex(headers, c.header)] as const);
  const missing = list.columns.filter((_, i) => (indexes[i]?.[1] ?? -1) < 0).map((c) => c.header);
  if (missing.length) return { ok: false, reason: { code: 'list_columns_missing', headers: missing } };
  const origin = new URL(baseUrl).origin;
  return {
    ok: true,
    rows: rows.map((row, i) => {
      const cells = cellsOf(row);
      const texts: RawOrderTexts = {};
      for (const [key, at] of indexes) {
        const cell = cells[at];
        if (cell) texts[key as OrderField] = visibleText(cell);
      }
      return { index: i + 1, texts, link: linkOf(row, list.link, baseUrl, origin) };
    }),
  };
}

/** The row's link to its order page: same origin only, whatever the page says. */
function linkOf(row: Element, selector: string | undefined, baseUrl: string, origin: string): string | null {
  if (!selector) return null;
  const href = row.querySelector(selector)?.getAttribute('href');
  if (!href) return null;
  try {
    const url = new URL(href, baseUrl);
    return url.origin === origin && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
  } catch {
    return null;
  }
}

/** How long a loaded page may take to render into an order page. */
const RENDER_GRACE_MS = 3000;

export type OrderAt = { readonly ok: true; readonly read: OrderPageRead } | { readonly ok: false; readonly reason: Reason };

/**
 * Reads an order page of this portal without leaving the list: in a hidden
 * frame of the same origin, once the adapter recognises it as its order page
 * (single-page portals render after loading), then the frame is removed.
 */
export async function readOrderAt(top: Document, adapter: PortalAdapter, url: string, timeoutMs = 15_000): Promise<OrderAt> {
  const order = adapter.order;
  if (!order) return { ok: false, reason: { code: 'order_page_not_taught' } };
  const same = (() => {
    try {
      return new URL(url).origin === new URL(top.location.href).origin;
    } catch {
      return false;
    }
  })();
  if (!same || !order.page.urls.some((p) => urlMatches(p, url))) return { ok: false, reason: { code: 'not_order_link', url } };
  const frame = top.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;left:-20000px;top:0;width:1200px;height:900px;border:0;visibility:hidden';
  frame.src = url;
  top.body.append(frame);
  try {
    // A page that finished loading and still is not an order page after a while (a single-page portal renders late) is not one.
    let loadedAt: number | null = null;
    let doc: Document | null = null;
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
      const inner = frame.contentDocument;
      if (!inner || inner.readyState !== 'complete' || inner.location.href === 'about:blank') continue;
      if (pageCheckPasses(inner, order.page)) {
        doc = inner;
        break;
      }
      loadedAt ??= Date.now();
      if (Date.now() - loadedAt > RENDER_GRACE_MS) break;
    }
    if (!doc) return { ok: false, reason: { code: 'order_page_unreadable' } };
    return { ok: true, read: readOrderPage(doc, adapter) };
  } finally {
    frame.remove();
  }
}

export type ListTeach =
  | { readonly ok: true; readonly rows: string; readonly header: string; readonly rowCount: number; readonly link: string | null }
  | { readonly ok: false; readonly reason: Reason };

/** From a clicked cell of a list: a selector for the rows and the cell's column header (teach mode). */
export function teachListColumn(clicked: Element): ListTeach {
  const cell = clicked.closest('td');
  const row = cell?.closest('tr');
  const table = row?.closest('table');
  if (!cell || !row || !table) return { ok: false, reason: { code: 'teach_click_cell' } };
  const headers = headerCells(row);
  const at = cellsOf(row).indexOf(cell);
  const header = headers[at] ? clean(headers[at].textContent ?? '') : '';
  if (!header) return { ok: false, reason: { code: 'teach_no_header' } };
  const rows = rowsSelector(table);
  if (!rows) return { ok: false, reason: { code: 'teach_list_unstable' } };
  const rowCount = [...table.ownerDocument.querySelectorAll(rows)].filter((r) => !cellsOf(r).some((c) => isTag(c, 'th'))).length;
  const anchor = row.querySelector('a[href]');
  const link = anchor ? linkSelector(anchor) : null;
  return { ok: true, rows, header, rowCount, link };
}

function rowsSelector(table: Element): string | null {
  const id = table.id && !/\d{4,}/.test(table.id) ? `table#${table.id}` : null;
  const classes = [...table.classList].filter((c) => !/\d{4,}|^is-|^el-table--/.test(c)).slice(0, 2);
  const own = id ?? (classes.length ? `table.${classes.join('.')}` : null);
  const selector = own ? `${own} tr` : null;
  return selector && v.is(CssSelectorSchema, selector) ? selector : null;
}

/** The first link of the row: by its class, else the first link. */
function linkSelector(anchor: Element): string {
  const classes = [...anchor.classList].filter((c) => !/\d{4,}|^is-/.test(c)).slice(0, 2);
  return classes.length ? `a.${classes.join('.')}` : 'a[href]';
}
