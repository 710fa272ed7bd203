import { newId, type RandomBytes } from '../clock/ids.ts';
import { tickHlc, type HlcState } from '../clock/hlc.ts';
import type { User } from '../org/roles.ts';
import type { Validated } from '../validation/result.ts';
import { validateOrderEvent, type EventDraft, type OrderEvent } from './events.ts';

export interface StampContext {
  readonly user: Pick<User, 'id' | 'role' | 'unitId'>;
  readonly now: number;
  readonly hlc: HlcState;
  /** HLC stamps of the events already in the order: the new one sorts after them. */
  readonly seen: Iterable<string>;
  readonly random: RandomBytes;
}

/**
 * Turn what a user did into a complete, validated event. The new clock state
 * comes back with it; the caller persists it with the event.
 */
export function stampEvent(draft: EventDraft, ctx: StampContext): Validated<OrderEvent> & { hlc: HlcState } {
  const { state, stamp } = tickHlc(ctx.hlc, ctx.now, ctx.seen);
  const candidate = {
    id: newId(ctx.random),
    type: draft.type,
    actor: ctx.user.id,
    role: ctx.user.role,
    unit: ctx.user.unitId,
    at: ctx.now,
    hlc: stamp,
    serverOffsetMs: ctx.hlc.serverOffsetMs,
    payload: draft.payload,
  };
  return { ...validateOrderEvent(candidate), hlc: state };
}
