/**
 * Before a worker may close an order, the result must hold what the clerk will
 * have to enter in the portal's handling form. The schema checks each field's
 * shape; this checks the close as a whole against the order, so the UI can list
 * everything still missing at once, in the field's own words.
 */
import type { ClosePayload } from './events.ts';
import type { OrderView } from './reducer.ts';

export type CloseGap =
  | 'handling_photo' // 办理附件: at least one photo of the work
  | 'contact_proof' // 联系证据: a photo proving contact when the citizen was visited
  | 'unresolved_reason'
  | 'contact_record'
  | 'check_in'; // 到场打卡 before closing an order that needed a visit

export interface CloseRequirements {
  /** Most portals insist on at least one 办理附件. */
  readonly handlingPhoto: boolean;
  /** Require 到场打卡 before close. */
  readonly checkIn: boolean;
}

export const DEFAULT_CLOSE_REQUIREMENTS: CloseRequirements = { handlingPhoto: true, checkIn: false };

export function closeGaps(
  view: Pick<OrderView, 'photos' | 'checkIns'>,
  close: Pick<ClosePayload, 'photos' | 'resolution' | 'unresolvedReason' | 'contact'>,
  requirements: CloseRequirements = DEFAULT_CLOSE_REQUIREMENTS,
): CloseGap[] {
  const gaps: CloseGap[] = [];
  const known = new Set(view.photos.map((p) => p.sha256));
  const handling = close.photos.handling.filter((sha) => known.has(sha));
  if (requirements.handlingPhoto && handling.length === 0) gaps.push('handling_photo');
  if (close.contact.contacted && close.contact.method === 'visit' && (close.photos.contact ?? []).length === 0) {
    gaps.push('contact_proof');
  }
  if (close.resolution !== 'resolved' && (close.unresolvedReason ?? '').trim().length < 2) gaps.push('unresolved_reason');
  if (close.contact.contacted ? !close.contact.method || !close.contact.at : !(close.contact.note ?? '').trim()) {
    gaps.push('contact_record');
  }
  if (requirements.checkIn && view.checkIns.length === 0) gaps.push('check_in');
  return gaps;
}

/**
 * The lines of the close form's 还缺 list, in the form's fields top to bottom (OrderCloseForm.vue: 诉求属实, 是否解决
 * and why not, the contact, 办理情况, 公开答复, the photos by kind), then 到场打卡 (done before it, from the order's
 * action bar), then anything else: the list reads in the order the worker fills the form, not contact first. Each is a
 * gap of the whole-order check (`closeGaps`) or a field the payload schema refuses; the contact's method, time and
 * reason read as one line, as its gap does; a field the form has no words for is `other`.
 */
export const CLOSE_MISSING_ORDER = [
  'founded',
  'resolution',
  'unresolved_reason',
  'contact_record',
  'contact_number',
  'actions',
  'public_reply',
  'handling_photo',
  'contact_proof',
  'check_in',
  'other',
] as const;
export type CloseMissing = (typeof CLOSE_MISSING_ORDER)[number];

/** What each field the payload schema names (`FieldError.field`) is missing as. */
const MISSING_BY_FIELD: Readonly<Record<string, CloseMissing>> = {
  founded: 'founded',
  resolution: 'resolution',
  unresolvedReason: 'unresolved_reason',
  'contact.method': 'contact_record',
  'contact.at': 'contact_record',
  'contact.note': 'contact_record',
  'contact.number': 'contact_number',
  actions: 'actions',
  publicReply: 'public_reply',
};

/**
 * Everything still missing from a close, each once, in the form's order: `gaps` from `closeGaps`,
 * `fields` the paths of the payload schema's errors.
 */
export function closeMissing(gaps: readonly CloseGap[], fields: readonly string[]): CloseMissing[] {
  // Every gap is a line of its own (CloseGap ⊂ CloseMissing, checked here by the compiler).
  const found = new Set<CloseMissing>([...gaps, ...fields.map((field) => MISSING_BY_FIELD[field] ?? 'other')]);
  return CLOSE_MISSING_ORDER.filter((item) => found.has(item));
}
