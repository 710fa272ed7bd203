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
