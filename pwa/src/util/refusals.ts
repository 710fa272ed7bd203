/**
 * Why the server refused this device's work for good, in the user's language:
 * changes its guard refused (RefusedWork) and photos its upload refused
 * (RejectedUpload). A code the app knows has its own words; any other shows
 * the server's own, as text.
 */
import type { RejectedUpload } from '#shared/client/uploads.ts';
import type { RefusedWork } from '#shared/local/journal.ts';
import type { Translate } from './format.ts';

const KNOWN_REFUSALS = new Set([
  'wrong_actor',
  'wrong_role',
  'wrong_unit',
  'forbidden_type',
  'invalid_event',
  'place_out_of_scope',
  'unknown_field',
  'foreign_type',
  'event_removed',
  'time_in_future',
  'time_before_seen',
  'time_too_old',
  'hlc_out_of_order',
  'offset_out_of_range',
  'event_too_large',
  'order_full',
  'daily_limit',
]);
const KNOWN_REJECTIONS = new Set(['too_large', 'not_an_image', 'hash_mismatch', 'empty']);

function inWords(code: string, known: ReadonlySet<string>, prefix: string, t: Translate, other: Record<string, unknown>): string {
  return known.has(code) ? t(`${prefix}.${code}`) : t(`${prefix}.other`, other);
}

/** Why the server refused an order's changes. */
export function refusalReason(refusal: Pick<RefusedWork, 'code' | 'reason'>, t: Translate): string {
  return inWords(refusal.code, KNOWN_REFUSALS, 'updateRefusal', t, { code: refusal.code, reason: refusal.reason });
}

/** How many changes of an order were refused (a field report's intake counts as one). */
export function refusedCount(refusal: Pick<RefusedWork, 'events' | 'intake'>): number {
  return refusal.events.length + (refusal.intake ? 1 : 0);
}

/** Why the server refused a photo. */
export function rejectionReason(rejection: Pick<RejectedUpload, 'code' | 'reason' | 'status'>, t: Translate): string {
  return inWords(rejection.code, KNOWN_REJECTIONS, 'photoRejection', t, { status: rejection.status, reason: rejection.reason });
}

/** The sync bar's line: how many photos were refused and why (the first refusal's reason). */
export function rejectionSummary(rejected: readonly RejectedUpload[], t: Translate): string {
  const first = rejected[0];
  if (!first) return '';
  return t('sync.photosRejected', { n: rejected.length, reason: rejectionReason(first, t) }, rejected.length);
}
