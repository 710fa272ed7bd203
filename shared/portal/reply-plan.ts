/**
 * From an order's close (办结) result to the value each reply field of a
 * portal gets, in that portal's words and formats. Pure: the DOM engine only
 * writes what this plan says and checks it was written.
 */
import type { ClosePayload, PhotoKind, PhotoMeta } from '../order/events.ts';
import type { OrderView } from '../order/reducer.ts';
import type { Locator, PortalAdapter, ReplyField, Vocabulary } from './adapter.ts';
import { formatPortalDate } from './dates.ts';
import type { Reason } from './reasons.ts';
import { CONTACT_METHOD_WORDS, CONTACT_OUTCOME_WORDS, RESOLUTION_WORDS, YES_NO, wordsFor } from './vocabulary.ts';

/** What a reply is made from: the order number, the close result and the order's photos. */
export interface ReplyInput {
  readonly orderNo: string;
  readonly result: ClosePayload & { readonly at: number };
  /** Metadata of the order's photos; the close names the ones to send by hash. */
  readonly photos: readonly Pick<PhotoMeta, 'sha256' | 'mime'>[];
}

export interface PlannedPhoto {
  readonly sha256: string;
  readonly mime: string;
  /**
   * The file name the portal receives: `<orderNo>-办理附件-<first 12 hex of the hash>.jpg`,
   * the same on every fill, so the engine can tell a photo the portal already lists.
   */
  readonly name: string;
}

export type PlannedValue =
  | { readonly type: 'text'; readonly text: string }
  /** One of `accept` (portal texts, preferred first) must be chosen; `value` is ours (`yes`, `partly`…). */
  | { readonly type: 'choice'; readonly value: string; readonly accept: readonly string[] }
  | { readonly type: 'date'; readonly time: number; readonly text: string }
  | { readonly type: 'files'; readonly kind: PhotoKind; readonly photos: readonly PlannedPhoto[] }
  /** Nothing to write: the field is left as it is. */
  | { readonly type: 'skip'; readonly reason: Reason };

export interface PlannedField {
  readonly field: ReplyField;
  readonly value: PlannedValue;
}

/**
 * A reply for one order: its values, and where the reply page shows which
 * order it is for. The engine fills a plan only into that order's page.
 */
export interface ReplyPlan {
  /** The order the values come from. */
  readonly orderNo: string;
  /**
   * Where the reply page shows its order number (the adapter's `reply.orderNo`):
   * it must read `orderNo` before anything is written. Null when the page shows
   * none: the clerk confirms the order, number and title in view, first.
   */
  readonly orderNoAt: { readonly locators: readonly Locator[] } | null;
  readonly fields: readonly PlannedField[];
}

export const PHOTO_KIND_LABELS: Record<PhotoKind, string> = {
  handling: '办理附件',
  contact: '联系证据',
  document: '证件附件',
};

/** Why a field has nothing to write, naming what the result lacks. */
function missing(field: ReplyField, input: ReplyInput): PlannedValue {
  const { result } = input;
  if (field.source === 'unresolvedReason' && result.resolution === 'resolved') return { type: 'skip', reason: { code: 'resolved_no_reason' } };
  const contactPart = field.source === 'contactMethod' || field.source === 'contactNumber' || field.source === 'contactTime';
  if (contactPart && !result.contact.contacted) {
    return { type: 'skip', reason: { code: result.contact.unreachable ? 'not_in_result_unreachable' : 'not_in_result_not_contacted', source: field.source } };
  }
  return { type: 'skip', reason: { code: 'not_in_result', source: field.source } };
}

/** The reply input of a derived order, or null when the order has no result yet. */
export function replyInputOf(view: Pick<OrderView, 'orderNo' | 'result' | 'photos'>): ReplyInput | null {
  if (!view.result) return null;
  return { orderNo: view.orderNo, result: view.result, photos: view.photos };
}

export function planReply(adapter: PortalAdapter, input: ReplyInput): ReplyPlan {
  return {
    orderNo: input.orderNo,
    orderNoAt: adapter.reply?.orderNo ?? null,
    fields: (adapter.reply?.fields ?? []).map((field) => ({ field, value: planField(field, input) })),
  };
}

/** The same plan with only the fields `keep` keeps (tests, previews of one field). */
export function planWith(plan: ReplyPlan, keep: (field: PlannedField) => boolean): ReplyPlan {
  return { ...plan, fields: plan.fields.filter(keep) };
}

export function planField(field: ReplyField, input: ReplyInput): PlannedValue {
  const { result } = input;
  const value = rawValue(field, input);
  if (value === null || value === '') return missing(field, input);
  if (typeof value === 'object') return value;
  switch (field.source) {
    case 'founded':
    case 'beyondRemit':
      return choice(value, YES_NO, field.values);
    case 'contacted':
      return choice(value, CONTACT_OUTCOME_WORDS, field.values);
    case 'resolution':
      return choice(value, RESOLUTION_WORDS, field.values);
    case 'contactMethod':
      return choice(value, CONTACT_METHOD_WORDS, field.values);
    case 'contactTime':
    case 'closedAt': {
      const time = field.source === 'contactTime' ? result.contact.at : result.at;
      if (time === undefined) return missing(field, input);
      if (field.widget.kind !== 'date') return { type: 'text', text: formatPortalDate(time, 'yyyy-MM-dd HH:mm') };
      return { type: 'date', time, text: formatPortalDate(time, field.widget.format) };
    }
    default:
      if (!isChoiceWidget(field)) return { type: 'text', text: value };
      // A free value (申请类型 = 办结申请) chosen from a list: the text itself, or the adapter's words for it.
      return { type: 'choice', value, accept: wordsFor(value, { [value]: [value] }, field.values) };
  }
}

function rawValue(field: ReplyField, input: ReplyInput): string | PlannedValue | null {
  const { result } = input;
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  switch (field.source) {
    case 'founded':
      return yesNo(result.founded);
    case 'beyondRemit':
      return yesNo(result.beyondRemit);
    case 'resolution':
      return result.resolution;
    case 'unresolvedReason':
      return result.resolution === 'resolved' ? null : (result.unresolvedReason ?? null);
    case 'contacted':
      return result.contact.contacted ? 'yes' : result.contact.unreachable ? 'unreachable' : 'no';
    case 'contactMethod':
      return result.contact.method ?? null;
    case 'contactNumber':
      return result.contact.number ?? null;
    case 'contactTime':
      return result.contact.at === undefined ? null : 'time';
    case 'closedAt':
      return 'time';
    case 'actions':
      return result.actions;
    case 'publicReply':
      return result.publicReply;
    case 'resultCategory':
      return result.resultCategory ?? null;
    case 'orderNo':
      return input.orderNo;
    case 'fixed':
      return field.fixed ?? null;
    case 'photos.handling':
    case 'photos.contact':
    case 'photos.document': {
      const kind = field.source.slice('photos.'.length) as PhotoKind;
      // A photo is one file, however often the close names it.
      const hashes = [...new Set(result.photos[kind] ?? [])];
      if (hashes.length === 0) return null;
      return { type: 'files', kind, photos: hashes.map((sha256) => plannedPhoto(input, kind, sha256)) };
    }
  }
}

function plannedPhoto(input: ReplyInput, kind: PhotoKind, sha256: string): PlannedPhoto {
  const mime = input.photos.find((p) => p.sha256 === sha256)?.mime ?? 'image/jpeg';
  const ext = mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg';
  return { sha256, mime, name: `${input.orderNo}-${PHOTO_KIND_LABELS[kind]}-${sha256.slice(0, 12)}.${ext}` };
}

function choice(value: string, builtIn: Vocabulary, adapter: Vocabulary | undefined): PlannedValue {
  const accept = wordsFor(value, builtIn, adapter);
  return accept.length === 0 ? { type: 'text', text: value } : { type: 'choice', value, accept };
}

const CHOICE_WIDGETS = new Set(['select', 'radio', 'checkbox', 'element-plus-select', 'element-ui-select', 'layui-select']);

export function isChoiceWidget(field: Pick<ReplyField, 'widget'>): boolean {
  return CHOICE_WIDGETS.has(field.widget.kind);
}

/** What the plan will write, as one line for the panel's preview and the report; '' for nothing (the panel says why, in the clerk's language). */
export function describePlanned(value: PlannedValue): string {
  switch (value.type) {
    case 'text':
      return value.text;
    case 'choice':
      return value.accept[0] ?? value.value;
    case 'date':
      return value.text;
    case 'files':
      return value.photos.map((p) => p.name).join('、');
    case 'skip':
      return '';
  }
}
