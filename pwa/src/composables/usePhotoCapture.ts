import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { NewPhoto } from '#shared/client/repository.ts';
import type { Location } from '#shared/order/values.ts';
import * as data from '../data/index.ts';
import { MAX_INPUT_BYTES, PhotoError, processPhoto } from '../photo/process.ts';
import { watermarkLines } from '../photo/watermark-lines.ts';
import type { Translate } from '../util/format.ts';
import { storageFullKind } from '../util/storage-full.ts';
import { locateOnce } from './useGeolocation.ts';
import { useSession } from './useSession.ts';

export interface PhotoProgress {
  readonly done: number;
  readonly total: number;
}

export type PhotoFailureReason = 'not_image' | 'unreadable' | 'too_large' | 'quota' | 'disk_full' | 'encode_failed' | 'other';

export interface PhotoFailure {
  readonly name: string;
  readonly reason: PhotoFailureReason;
  readonly message: string;
}

export interface AddPhotosResult {
  readonly stored: number;
  readonly failures: readonly PhotoFailure[];
}

/**
 * Where one batch of photos goes, fixed when the batch starts, so a screen
 * that moves on meanwhile cannot send the rest elsewhere.
 */
export interface PhotoBatch {
  /** The watermark's address and order number. */
  readonly address: string;
  readonly orderNo: string;
  /** Stores one photo on the device; it counts as taken once this resolves. */
  store(photo: NewPhoto, taken: { readonly takenAt: number; readonly location: Location }): Promise<void>;
}

/** How old a position may be for a photo: a recent fix (a check-in's) is good enough. */
export const PHOTO_FIX = { timeoutMs: 8000, maximumAgeMs: 60_000 } as const;

/**
 * The photo pipeline of every screen that takes photos (an order's 拍照 sheet,
 * 事件上报): each file is watermarked, oriented, scaled and hashed in the
 * worker, then stored on the device before it counts as taken. Files that are
 * not images, unreadable or too large are named and skipped; full storage ends
 * the batch, since every later photo would fail the same way.
 */
export function usePhotoCapture(options: {
  /** Where the next batch goes; null while there is nowhere to put it (nothing is taken then). */
  readonly batch: () => PhotoBatch | null;
  /** The batch's one position. */
  readonly locate?: () => Promise<Location>;
}) {
  const { t } = useI18n();
  const { session } = useSession();
  const busy = ref(false);
  const progress = ref<PhotoProgress | null>(null);
  const locate = options.locate ?? (async () => (await locateOnce(PHOTO_FIX)).location);

  async function add(files: readonly File[]): Promise<AddPhotosResult> {
    const me = session.value;
    const batch = options.batch();
    if (!me || !batch || files.length === 0) return { stored: 0, failures: [] };
    busy.value = true;
    try {
      const location = await locate();
      const serverOffsetMs = me.demo ? null : me.serverOffsetMs;
      let stored = 0;
      const failures: PhotoFailure[] = [];
      for (const [index, file] of files.entries()) {
        progress.value = { done: index, total: files.length };
        const takenAt = Date.now();
        try {
          const lines = watermarkLines({ takenAt, serverOffsetMs, location, address: batch.address, orderNo: batch.orderNo, handlerName: me.user.name }, t);
          const photo = await processPhoto(file, lines);
          await batch.store(
            { sha256: photo.sha256, blob: photo.blob, thumb: photo.thumb, mime: 'image/jpeg', size: photo.blob.size, width: photo.width, height: photo.height },
            { takenAt, location },
          );
          stored += 1;
        } catch (error) {
          const full = storageFullKind(error);
          const reason: PhotoFailureReason = full === 'disk' ? 'disk_full' : full ?? (error instanceof PhotoError ? error.reason : 'other');
          failures.push({ name: file.name, reason, message: error instanceof Error ? error.message : String(error) });
          if (full) break;
        }
      }
      data.kickUploads();
      return { stored, failures };
    } finally {
      busy.value = false;
      progress.value = null;
    }
  }

  return { busy, progress, add };
}

/** Why a photo was not taken, in the user's words. */
export function photoFailureText(failure: PhotoFailure, t: Translate): string {
  switch (failure.reason) {
    case 'not_image':
      return t('photo.notImage', { name: failure.name });
    case 'too_large':
      return t('photo.tooLarge', { name: failure.name, max: Math.round(MAX_INPUT_BYTES / 1024 / 1024) });
    case 'quota':
      return t('photo.quota');
    case 'disk_full':
      return t('storageLoss.diskFull');
    case 'unreadable':
      return t('photo.unreadable', { name: failure.name });
    default:
      return t('photo.failed', { message: failure.message });
  }
}
