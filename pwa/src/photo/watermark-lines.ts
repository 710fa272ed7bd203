import type { Location } from '#shared/order/values.ts';
import { formatOffset, formatStamp, isNoOffset, type Translate } from '../util/format.ts';

export interface WatermarkFacts {
  readonly takenAt: number;
  /** server − device, as last measured; null if never. */
  readonly serverOffsetMs: number | null;
  readonly location: Location;
  readonly address: string;
  readonly orderNo: string;
  readonly handlerName: string;
}

/**
 * The watermark's lines: device time with the last known offset to the server
 * clock (so a moved phone clock shows), position with accuracy (or why none),
 * the address, and the order number with the handler's name.
 */
export function watermarkLines(facts: WatermarkFacts, t: Translate): string[] {
  const time = t('watermark.time', { time: formatStamp(facts.takenAt) });
  const offset =
    facts.serverOffsetMs === null ? t('watermark.noOffset') : isNoOffset(facts.serverOffsetMs) ? '' : t('watermark.offset', { offset: formatOffset(facts.serverOffsetMs, t) });
  const place =
    facts.location.kind === 'fix'
      ? t('watermark.position', {
          lat: facts.location.position.lat.toFixed(5),
          lng: facts.location.position.lng.toFixed(5),
          accuracy: Math.round(facts.location.position.accuracy),
        })
      : t('watermark.noPosition', { reason: t(`noPositionReason.${facts.location.reason}`) });
  return [offset ? `${time} · ${offset}` : time, place, facts.address.slice(0, 60), t('watermark.order', { orderNo: facts.orderNo, name: facts.handlerName })];
}
