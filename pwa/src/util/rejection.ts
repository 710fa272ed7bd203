import type { RejectedUpload } from '../data/index.ts';
import type { Translate } from './format.ts';

const KNOWN = new Set(['too_large', 'not_an_image', 'hash_mismatch', 'empty']);

/** Why the server refused a photo, in the user's language; unknown codes show the server's own words. */
export function rejectionReason(rejection: Pick<RejectedUpload, 'code' | 'reason' | 'status'>, t: Translate): string {
  if (KNOWN.has(rejection.code)) return t(`photoRejection.${rejection.code}`);
  return t('photoRejection.other', { status: rejection.status, reason: rejection.reason });
}

/** The sync bar's line: how many photos were refused and why (the first refusal's reason). */
export function rejectionSummary(rejected: readonly RejectedUpload[], t: Translate): string {
  const first = rejected[0];
  if (!first) return '';
  return t('sync.photosRejected', { n: rejected.length, reason: rejectionReason(first, t) });
}
