/**
 * What the indicators need from an order's history beyond its current state,
 * read from the derived view's timeline (applied events only) so that the
 * index summary can carry it: the device computes indicators offline from the
 * synced index and never opens an order doc to do so. docs/INDICATORS.md.
 */
import type { EventType, Satisfaction } from '../order/events.ts';
import { effectiveAt } from '../order/deadline.ts';
import type { OrderView } from '../order/reducer.ts';

/** The handler's own actions: the first one after a 督办 is its response. */
export const SUPERVISION_RESPONSES: readonly EventType[] = ['accept', 'return', 'extension_request', 'check_in', 'progress', 'photo_added', 'close'];

export interface OrderFacts {
  /** Applied 派单 / 改派 events. */
  readonly dispatchCount: number;
  /** Applied 退单 events. */
  readonly returnCount: number;
  /** Applied 到场打卡 events. */
  readonly checkInCount: number;
  /** Photos the current close names (handling, contact, document); 0 when not closed. */
  readonly closePhotoCount: number;
  /** The intake's time if it came under 督办, else the effective time of the first applied 督办 event; null if never. */
  readonly supervisedAt: number | null;
  /** Effective time of the handler's first action after that 督办; null if none yet. */
  readonly supervisionAnsweredAt: number | null;
  /** The last 回访, kept after a 重办 (the view's own callback is cleared with the close it judged). */
  readonly callback: { readonly satisfaction: Satisfaction; readonly at: number } | null;
}

/**
 * `supervisedAtIntake`: the intake's time when the hotline sent the order
 * already under 督办; the handler's first action then answers it.
 */
export function orderFacts(view: Pick<OrderView, 'timeline' | 'result'>, supervisedAtIntake: number | null = null): OrderFacts {
  let dispatchCount = 0;
  let returnCount = 0;
  let checkInCount = 0;
  let supervisedAt: number | null = supervisedAtIntake;
  let supervisionAnsweredAt: number | null = null;
  let callback: OrderFacts['callback'] = null;
  for (const entry of view.timeline) {
    if (!entry.applied) continue;
    const { event } = entry;
    const at = effectiveAt(event.at, entry.receivedAt ?? undefined);
    if (event.type === 'dispatch') dispatchCount += 1;
    else if (event.type === 'return') returnCount += 1;
    else if (event.type === 'check_in') checkInCount += 1;
    else if (event.type === 'callback') callback = { satisfaction: event.payload.satisfaction, at };
    if (event.type === 'supervise' && supervisedAt === null) supervisedAt = at;
    else if (supervisedAt !== null && supervisionAnsweredAt === null && SUPERVISION_RESPONSES.includes(event.type)) {
      supervisionAnsweredAt = Math.max(at, supervisedAt);
    }
  }
  const photos = view.result?.photos;
  const closePhotoCount = photos ? photos.handling.length + photos.contact.length + photos.document.length : 0;
  return { dispatchCount, returnCount, checkInCount, closePhotoCount, supervisedAt, supervisionAnsweredAt, callback };
}
