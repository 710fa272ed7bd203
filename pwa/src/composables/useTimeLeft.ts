import { computed, type ComputedRef, type MaybeRefOrGetter, toValue } from 'vue';
import { useI18n } from 'vue-i18n';
import { timeLeftOf, type Timing, type TimeLeftKind, type Urgency } from '#shared/order/time-left.ts';
import { formatDuration } from '../util/format.ts';
import { useNow } from './useNow.ts';

export type { Timing, Urgency } from '#shared/order/time-left.ts';

export interface TimeLeft {
  readonly text: string;
  readonly urgency: Urgency;
}

const WORDS: Record<TimeLeftKind, string> = {
  closed_late: 'card.closedLate',
  closed_on_time: 'card.closedOnTime',
  accept_overdue: 'card.acceptOverdue',
  accept_left: 'card.acceptLeft',
  overdue: 'card.overdue',
  left: 'card.timeLeft',
};

/** `timeLeftOf` in words, ticking with the app clock. */
export function useTimeLeft(timing: MaybeRefOrGetter<Timing | null>): ComputedRef<TimeLeft | null> {
  const now = useNow();
  const { t } = useI18n();
  return computed(() => {
    const o = toValue(timing);
    const facts = o ? timeLeftOf(o, now.value) : null;
    if (!facts) return null;
    return { text: t(WORDS[facts.kind], { time: formatDuration(facts.ms, t) }), urgency: facts.urgency };
  });
}
