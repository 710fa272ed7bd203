import { computed, type ComputedRef, type MaybeRefOrGetter, toValue } from 'vue';
import { useI18n } from 'vue-i18n';
import { isOpenStatus, type Status } from '#shared/order/status.ts';
import { formatDuration } from '../util/format.ts';
import { useNow } from './useNow.ts';

export interface Timing {
  readonly status: Status;
  readonly deadline: number;
  readonly acceptDueAt: number | null;
  readonly closedAt: number | null;
}

export type Urgency = 'overdue' | 'soon' | 'normal' | 'done';

export interface TimeLeft {
  readonly text: string;
  readonly urgency: Urgency;
}

const SOON_MS = 24 * 60 * 60 * 1000;

/**
 * What a card or header says about time: 签收 due while waiting for acceptance,
 * time left or overdue while open, on time or late once closed. Ticks with the
 * app clock.
 */
export function useTimeLeft(timing: MaybeRefOrGetter<Timing | null>): ComputedRef<TimeLeft | null> {
  const now = useNow();
  const { t } = useI18n();
  const d = (ms: number) => formatDuration(ms, t);
  return computed(() => {
    const o = toValue(timing);
    if (!o) return null;
    if (o.status === 'merged') return null;
    if (!isOpenStatus(o.status)) {
      const late = (o.closedAt ?? now.value) - o.deadline;
      return late > 0 ? { text: t('card.closedLate', { time: d(late) }), urgency: 'overdue' } : { text: t('card.closedOnTime'), urgency: 'done' };
    }
    if (o.status === 'dispatched' && o.acceptDueAt !== null) {
      const left = o.acceptDueAt - now.value;
      if (left < 0) return { text: t('card.acceptOverdue', { time: d(left) }), urgency: 'overdue' };
      return { text: t('card.acceptLeft', { time: d(left) }), urgency: left < 30 * 60 * 1000 ? 'soon' : 'normal' };
    }
    const left = o.deadline - now.value;
    if (left < 0) return { text: t('card.overdue', { time: d(left) }), urgency: 'overdue' };
    return { text: t('card.timeLeft', { time: d(left) }), urgency: left < SOON_MS ? 'soon' : 'normal' };
  });
}
