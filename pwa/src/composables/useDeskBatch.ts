import { computed, onScopeDispose, shallowRef, type ComputedRef } from 'vue';

/**
 * Batch actions over the orders selected in a desk queue (批量派单, 批量归档).
 * The desk shows the selection and the bar; what an action does is filled in
 * by whoever owns the action's screen, for as long as their component lives:
 *
 *   const { provide } = useDeskBatch();
 *   provide('dispatch', async (orderIds) => { … open the 派单 sheet for them … });
 *
 * An action nobody provides is shown disabled.
 */
export const DESK_BATCH_ACTIONS = ['dispatch', 'archive'] as const;
export type DeskBatchAction = (typeof DESK_BATCH_ACTIONS)[number];
export type DeskBatchHandler = (orderIds: readonly string[]) => void | Promise<void>;

const handlers = shallowRef<ReadonlyMap<DeskBatchAction, DeskBatchHandler>>(new Map());

export function useDeskBatch() {
  const removers: (() => void)[] = [];
  onScopeDispose(() => removers.forEach((remove) => remove()));

  /** Fill in `action` while the calling component lives; returns the remover. */
  function provide(action: DeskBatchAction, handler: DeskBatchHandler): () => void {
    handlers.value = new Map([...handlers.value, [action, handler]]);
    const remove = () => {
      if (handlers.value.get(action) !== handler) return;
      const next = new Map(handlers.value);
      next.delete(action);
      handlers.value = next;
    };
    removers.push(remove);
    return remove;
  }

  /** Run `action` on these orders; false when nobody provides it or nothing is selected. */
  async function run(action: DeskBatchAction, orderIds: readonly string[]): Promise<boolean> {
    const handler = handlers.value.get(action);
    if (!handler || orderIds.length === 0) return false;
    await handler(orderIds);
    return true;
  }

  /** The actions someone provides now. */
  const provided: ComputedRef<readonly DeskBatchAction[]> = computed(() => DESK_BATCH_ACTIONS.filter((action) => handlers.value.has(action)));

  return { provide, run, provided };
}
