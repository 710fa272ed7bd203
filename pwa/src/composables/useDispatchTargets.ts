import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { OrderView } from '#shared/order/reducer.ts';
import { buildOrgTree, type OrgTree } from '#shared/org/units.ts';
import { dispatchTree, suggestUnit, type PastOrder, type UnitSuggestion } from '#shared/org/suggest-unit.ts';
import * as data from '../data/index.ts';
import { useSession } from './useSession.ts';
import { useWatchable } from './useWatchable.ts';

const directory = useWatchable(data.org);

/** The organisation the device last learnt, as a tree; null until it has one (or it does not hold together). */
const orgTree = computed<OrgTree | null>(() => {
  const units = directory.value?.units;
  if (!units || units.length === 0) return null;
  try {
    return buildOrgTree(units);
  } catch {
    return null;
  }
});

/**
 * 派单's picker: the writer's branch as a searchable tree, and the unit the
 * order's address suggests (`shared/org/suggest-unit.ts`), from the
 * organisation and the orders this device knows — offline as well. Without
 * an order (批量派单 on the desk) there is the tree and no suggestion.
 */
export function useDispatchTargets(view: Ref<OrderView | null>, intake: Ref<OrderIntake | null>) {
  const { user } = useSession();
  const query = ref('');
  const history = shallowRef<readonly PastOrder[]>([]);
  watch(
    () => intake.value?.id,
    async (id) => {
      history.value = id === undefined ? [] : await data.repository.knownOrders();
    },
    { immediate: true },
  );

  const nodes = computed(() => (orgTree.value && user.value ? dispatchTree(orgTree.value, user.value.unitId, query.value) : []));
  /** Units that returned this order: their reason is on the order, they are not suggested again. */
  const returnedFrom = computed(() => {
    const units: string[] = [];
    let lastTarget: string | null = null;
    for (const { event, applied } of view.value?.timeline ?? []) {
      if (!applied) continue;
      if (event.type === 'dispatch') lastTarget = event.payload.unitId;
      if (event.type === 'return' && lastTarget) units.push(lastTarget);
    }
    return units;
  });
  const suggestion = computed<UnitSuggestion | null>(() => {
    if (!orgTree.value || !user.value || !intake.value) return null;
    const { id, address, place } = intake.value;
    return suggestUnit(orgTree.value, { order: { id, address, place }, scopeUnitId: user.value.unitId, history: history.value, exclude: returnedFrom.value });
  });
  const unitName = (id: string) => orgTree.value?.units.get(id)?.name ?? id;
  const unitKind = (id: string) => orgTree.value?.units.get(id)?.kind ?? null;

  return { query, nodes, suggestion, unitName, unitKind, ready: computed(() => orgTree.value !== null) };
}
