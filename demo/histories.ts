/**
 * An order's events: its planned story (see plan.ts), fitted before `now`
 * and stamped. Work an open order has not reached yet is dropped; what is
 * left is squeezed into the time before `now` if it runs past it; every
 * event is stamped by its actor's own clock, each after the last.
 */
import { createHlc, type HlcState } from '#shared/clock/hlc.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import { stampEvent } from '#shared/order/stamp.ts';
import { formatErrors } from '#shared/validation/result.ts';
import { planHistory, type HistoryContext, type Step, type TimeMap } from './plan.ts';
import { hashString } from './random.ts';
import { MINUTE, duringDay } from './time.ts';

export type { HistoryContext } from './plan.ts';

export function buildHistory(ctx: HistoryContext): OrderEvent[] {
  return stamp(planHistory(ctx), ctx);
}

/** Fit the plan before `now` and stamp each step as its actor's device would. */
function stamp(steps: readonly Step[], ctx: HistoryContext): OrderEvent[] {
  const start = ctx.intake.receivedAt;
  const limit = ctx.now - Math.min(MINUTE, Math.max(0, ctx.now - start) / 2);
  const kept = steps.filter((step) => !step.optional || step.at < limit);
  const lastAt = kept.reduce((max, step) => Math.max(max, step.at), start);
  const scale = lastAt > limit ? (limit - start) / (lastAt - start) : 1;
  const time: TimeMap = scale === 1 ? Math.round : (t) => Math.round(start + (t - start) * scale);

  const clocks = new Map<string, HlcState>();
  const events: OrderEvent[] = [];
  const ids = new Map<string, string>();
  const idOf = (key: string): string => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`demo history of ${ctx.intake.id}: no event ${key} before the step that refers to it`);
    return id;
  };
  let last: string | null = null;
  let previousAt = start;
  for (const step of kept) {
    const hlc = clocks.get(step.user.id) ?? createHlc(`dev-${step.user.id}`, clockOffset(step.user.id));
    let at = Math.max(previousAt, time(step.at));
    if (scale !== 1) {
      // Squeezing may have moved the step into the night: back to the day if there is room before `now`.
      const day = Math.round(duringDay(at, previousAt, (step.at % 997) / 997));
      if (day <= limit) at = day;
    }
    previousAt = at;
    const result = stampEvent(step.draft({ time, at, idOf }), {
      user: step.user,
      now: at,
      hlc,
      // Every step follows the one before: the last stamp is the highest seen.
      seen: last === null ? [] : [last],
      random: ctx.random,
    });
    if (!result.ok) throw new Error(`demo ${step.type} event for ${ctx.intake.id} is invalid: ${formatErrors(result.errors)}`);
    clocks.set(step.user.id, result.hlc);
    if (step.key !== undefined) ids.set(step.key, result.value.id);
    last = result.value.hlc;
    events.push(result.value);
  }
  return events;
}

/** Each device's last measured offset to the server clock: a second or two either way. */
function clockOffset(userId: string): number {
  return (hashString(userId) % 4001) - 2000;
}
