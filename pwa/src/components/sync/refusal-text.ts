import type { RefusedWork } from '../../data/index.ts';
import type { Translate } from '../../util/format.ts';

const KNOWN = new Set(['wrong_actor', 'wrong_role', 'wrong_unit', 'forbidden_type', 'invalid_event', 'place_out_of_scope']);

/** Why the server refused an order's changes, in the user's language; other codes show the server's own words (as text). */
export function refusalReason(refusal: Pick<RefusedWork, 'code' | 'reason'>, t: Translate): string {
  if (KNOWN.has(refusal.code)) return t(`updateRefusal.${refusal.code}`);
  return t('updateRefusal.other', { code: refusal.code, reason: refusal.reason });
}

/** How many changes of an order were refused (a field report's intake counts as one). */
export function refusedCount(refusal: Pick<RefusedWork, 'events' | 'intake'>): number {
  return refusal.events.length + (refusal.intake ? 1 : 0);
}
