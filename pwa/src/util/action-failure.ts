/**
 * Why an action or a report was not saved, in the user's language: the phone's
 * storage full, nobody signed in, no clock yet (sign in again), or else the
 * refusal's own words (an invalid event's fields, as the validation gives them).
 */
import { ActionRefused } from '#shared/client/repository.ts';
import type { Translate } from './format.ts';
import { storageFullKind } from './storage-full.ts';

export function actionFailureText(error: unknown, t: Translate): string {
  const full = storageFullKind(error);
  if (full) return t(full === 'disk' ? 'storageLoss.diskFull' : 'actions.quota');
  if (error instanceof ActionRefused && error.code === 'no_clock') return t('actions.noClock');
  if (error instanceof ActionRefused && error.code === 'signed_out') return t('actions.signedOut');
  return error instanceof Error ? error.message : String(error);
}

/** The notice for an action or a report not saved: a full phone as it is, anything else after 保存失败，未记录. */
export function notSavedText(error: unknown, t: Translate): string {
  const message = actionFailureText(error, t);
  return storageFullKind(error) ? message : t('actions.saveFailed', { message });
}
