import { availableActions } from '#shared/order/actions.ts';
import type { EventDraft } from '#shared/order/events.ts';
import type { User } from '#shared/org/roles.ts';
import * as data from '../data/index.ts';
import type { OpenOrder, OrderSnapshot } from '../data/index.ts';

/** What a batch action did: the orders it wrote to, those the rules did not allow it on, those it could not write. */
export interface BatchOutcome {
  readonly done: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly string[];
}

/** How long an order not yet on this device may take to arrive before the batch gives up on it. */
const ARRIVE_MS = 15_000;

function firstSnapshot(handle: OpenOrder): Promise<OrderSnapshot | null> {
  const now = handle.current();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(handle.current());
    }, ARRIVE_MS);
    const stop = handle.subscribe((snapshot) => {
      if (!snapshot) return;
      clearTimeout(timer);
      stop();
      resolve(snapshot);
    });
  });
}

/**
 * Writes `draft` to each of `orderIds`, one after the other, through the same
 * repository (journal, doc, inbox row) as an action on the order's page: an
 * order where the rules (`availableActions`) do not allow it now is skipped,
 * one whose write fails is reported, and the rest go on.
 */
export async function actOnEach(orderIds: readonly string[], draft: EventDraft, user: Pick<User, 'id' | 'role' | 'unitId'>): Promise<BatchOutcome> {
  const done: string[] = [];
  const skipped: string[] = [];
  const failed: string[] = [];
  for (const id of orderIds) {
    const handle = await data.repository.openOrder(id);
    try {
      const snapshot = await firstSnapshot(handle);
      if (!snapshot) failed.push(id);
      else if (!availableActions(snapshot.view, user).includes(draft.type)) skipped.push(id);
      else {
        await data.repository.act(handle, draft);
        done.push(id);
      }
    } catch {
      failed.push(id);
    } finally {
      handle.release();
    }
  }
  return { done, skipped, failed };
}
