import type { OrderIntake } from '#shared/order/intake.ts';
import type { OrderView } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrgTree } from '#shared/org/units.ts';
import { indexUnitsFor, orderScopeOf } from '#shared/org/scope.ts';
import { communityIndexDocName, gridIndexDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { sameJson } from '../store/rows.ts';
import type { OrderRow, PhotoRef } from '../store/store.ts';

/** The row of an order that has only its intake so far. */
export function newOrderRow(intake: OrderIntake, now: number): OrderRow {
  return {
    id: intake.id,
    orderNo: intake.orderNo,
    place: intake.place,
    targetUnitId: null,
    pastTargetUnitIds: [],
    assignee: null,
    participants: intake.reportedBy ? [intake.reportedBy] : [],
    status: 'pending_dispatch',
    indexDocs: [],
    eventCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** The row of an order from its derived view: what authorisation and listing read. */
export function orderRowFrom(intake: OrderIntake, view: OrderView, tree: OrgTree, createdAt: number, now: number): OrderRow {
  const scope = orderScopeOf(intake, view);
  const units = indexUnitsFor(tree, scope);
  return {
    id: intake.id,
    orderNo: intake.orderNo,
    place: intake.place,
    targetUnitId: scope.targetUnitId,
    pastTargetUnitIds: scope.pastTargetUnitIds,
    assignee: scope.assignee,
    participants: [...new Set([...scope.participants, ...(intake.reportedBy ? [intake.reportedBy] : [])])].sort(),
    status: view.status,
    indexDocs: [...units.grids.map(gridIndexDocName), ...units.communities.map(communityIndexDocName), ...units.streets.map(streetIndexDocName)],
    eventCount: view.timeline.length,
    createdAt,
    updatedAt: now,
  };
}

/**
 * Whether two rows of an order say the same in every column but `eventCount` and `updatedAt`: the indexer writes
 * the row only when one of those changes. Compared column by column — taking both rows' JSON to compare them was
 * ≈ 20–50 µs per indexer run, one run per update under the fan-out's load (bench/README.md, "Fan-out, part 10").
 */
export function sameRowColumns(a: OrderRow, b: OrderRow): boolean {
  return (
    a.id === b.id &&
    a.orderNo === b.orderNo &&
    a.targetUnitId === b.targetUnitId &&
    a.assignee === b.assignee &&
    a.status === b.status &&
    a.createdAt === b.createdAt &&
    sameJson(a.place, b.place) &&
    sameJson(a.pastTargetUnitIds, b.pastTargetUnitIds) &&
    sameJson(a.participants, b.participants) &&
    sameJson(a.indexDocs, b.indexDocs)
  );
}

/**
 * Photos an order names, and who named each: every photo_added event's
 * actor, and a field report's reporter for its attachments. (A hotline
 * intake's attachments are recorded for the caller of the intake API when
 * it creates the order.) A reference makes a photo readable only when the
 * one who made it uploaded the photo.
 */
export function photoRefsOf(intake: OrderIntake, events: readonly OrderEvent[]): PhotoRef[] {
  const refs = new Map<string, PhotoRef>();
  const add = (sha256: string, attachedBy: string) => refs.set(`${sha256} ${attachedBy}`, { sha256, attachedBy });
  if (intake.reportedBy !== undefined) for (const a of intake.attachments) add(a.sha256, intake.reportedBy);
  for (const e of events) if (e.type === 'photo_added') add(e.payload.sha256, e.actor);
  return [...refs.values()];
}
