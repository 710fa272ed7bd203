import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { computeIndicators } from '#shared/indicators/indicators.ts';
import { hotSpotsOf } from '#shared/indicators/hotspots.ts';
import { periodOf, previousPeriod, type Period, type PeriodKind } from '#shared/indicators/period.ts';
import { DEFAULT_WEIGHTS, SCORED, rankUnits, type Scored, type Weights } from '#shared/indicators/ranking.ts';
import { indicatorRow, type IndicatorRow } from '#shared/indicators/row.ts';
import { sharesBy, type ShareKey } from '#shared/indicators/shares.ts';
import { trendOf } from '#shared/indicators/trend.ts';
import { childLevel, rowsInUnit, PLACE_LEVELS, type PlaceLevel, type UnitRef } from '#shared/indicators/unit.ts';
import * as data from '../data/index.ts';
import { STORED_KEYS } from '../data/storage-keys.ts';
import type { InboxRow } from '../data/index.ts';
import { useNow } from './useNow.ts';
import { useSession } from './useSession.ts';
import { useWatchable } from './useWatchable.ts';

export type PeriodChoice = PeriodKind | 'custom';

const weightValue = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 ? value : null);

/** The ranking settings stored on this device, each value checked; the defaults for anything else. */
function storedRanking(): { weights: Weights; volumeSplit: number } {
  try {
    const raw = JSON.parse(localStorage.getItem(STORED_KEYS.indicatorWeights.key) ?? 'null') as { weights?: Record<string, unknown>; volumeSplit?: unknown } | null;
    const weights: Partial<Record<Scored, number>> = {};
    for (const key of SCORED) {
      const value = weightValue(raw?.weights?.[key]);
      if (value !== null) weights[key] = value;
    }
    const split = raw?.volumeSplit;
    return {
      weights: Object.keys(weights).length > 0 ? weights : { ...DEFAULT_WEIGHTS },
      volumeSplit: typeof split === 'number' && Number.isInteger(split) && split >= 0 ? split : 0,
    };
  } catch {
    return { weights: { ...DEFAULT_WEIGHTS }, volumeSplit: 0 };
  }
}
export type IndicatorOrder = InboxRow & IndicatorRow;

/**
 * The indicators page's state: every order on the device (the synced index's
 * rows, read from Dexie, no order doc opened), the period and unit chosen, and
 * the figures computed from them with shared/indicators.
 */
export function useIndicators() {
  const now = useNow();
  const { user } = useSession();
  const org = useWatchable(data.org);

  const rows = shallowRef<readonly IndicatorOrder[]>([]);
  const loaded = ref(false);
  /** Device time the newest row changed: how fresh the data is. */
  const freshAt = ref<number | null>(null);
  const stop = data.repository.watchInboxTab('all', (list) => {
    let newest: number | null = null;
    rows.value = list.map((row) => {
      if (newest === null || row.updatedAt > newest) newest = row.updatedAt;
      return indicatorRow(row);
    });
    freshAt.value = newest;
    loaded.value = true;
  });
  onScopeDispose(stop);

  const kind = ref<PeriodChoice>('month');
  const anchor = ref(now.value);
  const custom = ref<Period>(periodOf('week', now.value));
  const period = computed<Period>(() => (kind.value === 'custom' ? custom.value : periodOf(kind.value, anchor.value)));
  const previous = computed(() => previousPeriod(period.value, kind.value));
  function step(direction: -1 | 1): void {
    if (kind.value === 'custom') return;
    anchor.value = direction < 0 ? previous.value.from : period.value.to;
  }

  /** The user's own unit, where the page starts; the drill-down goes below it. */
  const home = computed<UnitRef | null>(() => {
    const unitId = user.value?.unitId;
    const unit = org.value?.units.find((u) => u.id === unitId);
    if (!unit || !(PLACE_LEVELS as readonly string[]).includes(unit.kind)) return null;
    return { level: unit.kind as PlaceLevel, id: unit.id };
  });
  const path = ref<UnitRef[]>([]);
  watch(home, () => (path.value = []));
  const unit = computed<UnitRef | null>(() => path.value.at(-1) ?? home.value);
  const below = computed(() => childLevel(unit.value?.level ?? null));
  function drill(id: string): void {
    if (below.value) path.value = [...path.value, { level: below.value, id }];
  }
  function up(depth: number): void {
    path.value = path.value.slice(0, depth);
  }

  const stored = storedRanking();
  const weights = ref<Weights>(stored.weights);
  const volumeSplit = ref(stored.volumeSplit);
  watch([weights, volumeSplit], ([w, split]) => {
    try {
      localStorage.setItem(STORED_KEYS.indicatorWeights.key, JSON.stringify({ weights: w, volumeSplit: split }));
    } catch {
      // Storage full or refused: the weights hold for this visit.
    }
  });

  const unitRows = computed(() => rowsInUnit(rows.value, unit.value));
  const byId = computed(() => new Map(rows.value.map((r) => [r.id, r])));
  const current = computed(() => computeIndicators(unitRows.value, period.value, now.value));
  const before = computed(() => computeIndicators(unitRows.value, previous.value, now.value));
  const ranking = computed(() =>
    below.value ? rankUnits(unitRows.value, below.value, period.value, now.value, { weights: weights.value, volumeSplit: volumeSplit.value }) : null,
  );
  const shareKey = ref<ShareKey>('type');
  const shares = computed(() => sharesBy(unitRows.value, period.value, shareKey.value));
  const trendStep = computed<'day' | 'week'>(() => (period.value.to - period.value.from > 62 * 86_400_000 ? 'week' : 'day'));
  // Up to today: days still to come would draw as a drop to zero.
  const trend = computed(() => trendOf(unitRows.value, { from: period.value.from, to: Math.max(period.value.from + 1, Math.min(period.value.to, now.value)) }, trendStep.value));
  const hotSpots = computed(() => hotSpotsOf(unitRows.value, period.value));

  function ordersOf(ids: readonly string[]): IndicatorOrder[] {
    const map = byId.value;
    return ids.map((id) => map.get(id)).filter((r): r is IndicatorOrder => r !== undefined);
  }

  return {
    rows,
    loaded,
    freshAt,
    now,
    kind,
    custom,
    period,
    previous,
    step,
    home,
    path,
    unit,
    below,
    drill,
    up,
    weights,
    volumeSplit,
    unitRows,
    current,
    before,
    ranking,
    shareKey,
    shares,
    trend,
    trendStep,
    hotSpots,
    ordersOf,
  };
}
