import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { QUEUES_OF_CLOSED_ORDERS, queueCounts, queueOf, queuesFor, warningWindowMsFor, type QueueCounts, type QueueKey, type QueueOptions } from '#shared/order/queues.ts';
import * as data from '../data/index.ts';
import type { InboxRow } from '../data/index.ts';
import { useNow } from './useNow.ts';
import { useSession } from './useSession.ts';
import { useSync } from './useSync.ts';
import { useWatchable } from './useWatchable.ts';

export interface DeskOptions {
  /** 预警 window; by default the office's (`warningHours` on the user's unit or above it, from the organisation kept on the device), else 24 h. */
  readonly warningWindowMs?: number;
}

/**
 * The desk's queues (工作台): every order not archived or merged, from the
 * device's rows (live, offline too), sorted into the queues of
 * shared/order/queues.ts with the app clock. Nothing here opens an order doc.
 */
export function useDesk(options: DeskOptions = {}) {
  const { user } = useSession();
  const org = useWatchable(data.org);
  const now = useNow();
  const rows = shallowRef<readonly InboxRow[] | null>(null);
  // Only rows that hold every write signalled once the user's list has arrived (`listLoaded`: its rows
  // committed, their writes signalled) may let an empty queue say "这个队列里没有工单": the watch says when
  // its rows hold every write signalled (`current`). The rows themselves are drawn as soon as they are held.
  const { status } = useSync();
  let current = false;
  const listKnown = ref(false);
  const stop = data.repository.watchDeskRows((value, upToDate) => {
    rows.value = value;
    current = upToDate;
    listKnown.value = status.value.listLoaded && current;
  });
  watch(
    () => status.value.listLoaded,
    (known) => (listKnown.value = known && current),
  );
  onScopeDispose(() => stop());

  const queueOptions = computed<QueueOptions>(() => ({
    now: now.value,
    warningWindowMs: options.warningWindowMs ?? warningWindowMsFor(org.value?.units ?? [], user.value?.unitId ?? ''),
    viewer: user.value ? { role: user.value.role, unitId: user.value.unitId } : null,
  }));
  const keys = computed<readonly QueueKey[]>(() => (user.value ? queuesFor(user.value.role) : []));
  const counts = computed<QueueCounts | null>(() => (rows.value ? queueCounts(rows.value, queueOptions.value) : null));
  const loaded = computed(() => rows.value !== null);
  /** Queues whose closed orders' rows are still being written (a first sync: the open tabs' come first). */
  const arriving = computed<readonly QueueKey[]>(() => (status.value.deskLoaded ? [] : QUEUES_OF_CLOSED_ORDERS));

  /** One queue's rows, most urgent first. */
  function queue(key: QueueKey): readonly InboxRow[] {
    return rows.value ? queueOf(key, rows.value, queueOptions.value) : [];
  }

  return { keys, counts, loaded, listKnown, arriving, queue, now };
}
