/** An order's row as the stores keep it, for the store tests: a new 待派单 order of `streetId`. */
import type { OrderRow } from '#server/store/store.ts';

export function storedOrderRow(id: string, streetId = 'd1-s1'): OrderRow {
  return {
    id,
    orderNo: `LX-${id}`,
    place: { districtId: 'd1', streetId, communityId: `${streetId}-c1`, gridId: `${streetId}-c1-g1` },
    targetUnitId: null,
    pastTargetUnitIds: [],
    assignee: null,
    participants: [],
    status: 'pending_dispatch',
    indexDocs: [],
    eventCount: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}
