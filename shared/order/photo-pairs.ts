/**
 * 处置前 / 处置后 pairs: the n-th "before" photo with the n-th "after", in the
 * order they were taken, so a list shows each change side by side; photos of
 * neither stage (and any unpaired one) follow as they were taken.
 */
import type { PhotoMeta } from './events.ts';

export interface PhotoArrangement<P> {
  readonly pairs: readonly { readonly before: P | null; readonly after: P | null }[];
  readonly others: readonly P[];
}

/** A photo as far as arranging needs it; a field report's attachments carry no stage or time (they keep their order). */
export type Arrangeable = Partial<Pick<PhotoMeta, 'stage' | 'takenAt'>>;

export function arrangePhotos<P extends Arrangeable>(photos: readonly P[]): PhotoArrangement<P> {
  const byTime = [...photos].sort((a, b) => (a.takenAt ?? 0) - (b.takenAt ?? 0));
  const before = byTime.filter((p) => p.stage === 'before');
  const after = byTime.filter((p) => p.stage === 'after');
  const pairs = Array.from({ length: Math.max(before.length, after.length) }, (_, i) => ({ before: before[i] ?? null, after: after[i] ?? null }));
  return { pairs, others: photos.filter((p) => p.stage === undefined) };
}
