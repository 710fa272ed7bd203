/**
 * The panel's one door to the DOM engine (extension/lib/portal) and to the
 * adapters: which adapter page this is, what the order page says, and
 * filling the reply form. Photos and the page-world script come through the
 * background; nothing the page itself says is trusted as an instruction.
 */
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import type { ReplyPlan } from '#shared/portal/reply-plan.ts';
import { listRecord, type RecordProblem } from '#shared/portal/order-record.ts';
import type { PageKind } from '#shared/portal/url.ts';
import {
  checkReply as engineCheck,
  checkReplyOrder,
  createPageBridge,
  FILL_MARKS,
  UNPLANNED_KEY,
  fillReply as engineFill,
  randomToken,
  readListPage,
  readOrderAt,
  readOrderPage,
  readPageOrder,
  recognisePage,
  watchSubmit as engineWatchSubmit,
  type ConfirmedOrder,
  type FieldRead,
  type FillReport,
  type ListRow,
  type OrderCheck,
  type PageBridge,
  type PageOrder,
  type SubmitWatch,
} from '../../lib/portal/index.ts';
import { ask } from '../../lib/messaging.ts';
import type { PortalOrder } from '../../lib/protocol.ts';
import type { Locale } from '../../lib/settings.ts';
import { orderFieldLabel } from './field-labels.ts';
import { reasonText, type Translate } from './reason-text.ts';

export type { ConfirmedOrder, FillReport, ListRow, OrderCheck, PageOrder, SubmitWatch };

/** The engine's reasons in the clerk's language: the panel's translator and locale (reason-text.ts). */
export interface Describe {
  readonly locale: Locale;
  readonly t: Translate;
}

const reasonOf = (reason: Reason, describe: Describe): string => reasonText(reason, describe.t, describe.locale);

/** One problem of an order's field in the clerk's language: the field by its name, then what is wrong with it. */
export function fieldProblem(problem: RecordProblem, describe: Describe): string {
  return describe.t('fieldProblem', { field: orderFieldLabel(problem.field, describe.t), problem: reasonOf(problem.reason, describe) });
}

/** Problems of an order's fields as one line. */
export function fieldProblems(problems: readonly RecordProblem[], describe: Describe): string {
  return problems.map((p) => fieldProblem(p, describe)).join(describe.t('sep.clause'));
}

/** The fields of an order page that were not found or not understood, as problems (a field without a reason: missing). */
const problemsOf = (fields: readonly FieldRead[]): RecordProblem[] => fields.filter((f) => !f.ok).map((f) => ({ field: f.key, reason: f.reason ?? { code: 'record_missing' } }));

export interface RecognisedPage {
  readonly adapter: PortalAdapter;
  readonly kind: PageKind;
  readonly top: Document;
}

/**
 * The adapters to recognise pages with, checked against the adapter schema by
 * the background (imported ones win over built-in ones with the same id): the
 * panel carries no schema code.
 */
export async function loadAdapters(): Promise<PortalAdapter[]> {
  return [...(await ask('adapters.usable', {})).adapters];
}

/** The adapter page this is (URL patterns, then the page check), or null. */
export async function recognise(adapters: readonly PortalAdapter[], top: Document, url: string): Promise<RecognisedPage | null> {
  const found = recognisePage(top, url, adapters);
  return found ? { ...found, top } : null;
}

/** The order page's fields as a record for the clerk to check, with every field that could not be read or understood. */
export async function readOrderRecord(page: RecognisedPage): Promise<{ record: PortalOrder; problems: RecordProblem[] }> {
  const read = readOrderPage(page.top, page.adapter);
  const problems = problemsOf(read.fields);
  for (const problem of read.problems) if (!problems.some((p) => p.field === problem.field)) problems.push(problem);
  return { record: read.record, problems };
}

/** The rows of a list page, each with its columns and its link to the order page. */
export function readList(page: RecognisedPage, describe: Describe): readonly ListRow[] {
  const list = page.adapter.list;
  if (!list) throw new Error(reasonOf({ code: 'list_not_taught' }, describe));
  const read = readListPage(page.top, list, location.href);
  if (!read.ok) throw new Error(reasonOf(read.reason, describe));
  return read.rows;
}

/** One row of a list as an order record: its order page read too when the list links to it. */
export async function readListOrder(page: RecognisedPage, row: ListRow, describe: Describe): Promise<{ record: PortalOrder; problems: RecordProblem[] }> {
  let texts = null;
  if (row.link && page.adapter.order) {
    const at = await readOrderAt(page.top, page.adapter, row.link);
    if (!at.ok) throw new Error(reasonOf(at.reason, describe));
    const missing = problemsOf(at.read.fields);
    if (missing.length) throw new Error(fieldProblems(missing, describe));
    texts = at.read.texts;
  }
  const result = listRecord(page.adapter, row.texts, texts);
  return { record: result.record, problems: [...result.problems] };
}

/** Which order the reply page shows (the adapter's `reply.orderNo`), or that it shows none. */
export function pageOrder(page: RecognisedPage): PageOrder {
  return readPageOrder(page.top, page.adapter.reply?.orderNo ?? null);
}

/** Whether `plan` may be written into this page now (its order's number, or the clerk's confirmation). */
export function orderCheck(page: RecognisedPage, plan: ReplyPlan, confirmed: ConfirmedOrder | null): OrderCheck {
  return checkReplyOrder(page.top, plan, confirmed ?? undefined);
}

const PAGE_EDITORS = new Set(['kindeditor', 'ueditor']);

/** Fills the reply form with the plan's photos fetched from the background; the engine refuses another order's page. */
export async function fillReply(page: RecognisedPage, plan: ReplyPlan, confirmed: ConfirmedOrder | null): Promise<FillReport> {
  const photos = new Map<string, Blob>();
  for (const planned of plan.fields) {
    if (planned.value.type !== 'files') continue;
    for (const photo of planned.value.photos) {
      if (photos.has(photo.sha256)) continue;
      const data = await ask('photos.get', { sha256: photo.sha256 });
      photos.set(photo.sha256, new Blob([fromBase64(data.base64)], { type: data.mime }));
    }
  }
  const needsPage = plan.fields.some((p) => p.field.widget.kind === 'richtext' && PAGE_EDITORS.has(p.field.widget.editor));
  return engineFill(page.top, plan, { photos, ...(needsPage ? { bridge: await pageBridge() } : {}), ...(confirmed ? { confirmedOrder: confirmed } : {}) });
}

export { FILL_MARKS, UNPLANNED_KEY };

/** Reads the form back against the plan without writing (after the clerk changed something). */
export function checkReply(page: RecognisedPage, plan: ReplyPlan, confirmed: ConfirmedOrder | null): Promise<FillReport> {
  return engineCheck(page.top, plan, confirmed ? { confirmedOrder: confirmed } : {});
}

/** Watches for the clerk's own submit of this reply form (the portal's success sign appearing, or a real form submit). */
export function watchSubmit(page: RecognisedPage): SubmitWatch {
  return engineWatchSubmit(page.top, page.adapter);
}

let bridge: PageBridge | null = null;

/** One page-world script per page, installed with a secret only this content script knows. */
async function pageBridge(): Promise<PageBridge> {
  if (bridge) return bridge;
  const secret = randomToken();
  await ask('page.installWorld', { secret });
  bridge = createPageBridge(window, secret);
  return bridge;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
