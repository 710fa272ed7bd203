import { computed, watch, type Ref } from 'vue';
import * as data from '../data/index.ts';
import { useWatchable } from './useWatchable.ts';

/** Where the archive months a view needs stand on this device (issue 18, docs/SERVER.md "Archive index docs"). */
export type ArchiveView =
  | { readonly state: 'none' }
  | { readonly state: 'loading'; readonly months: readonly string[] }
  | { readonly state: 'waiting'; readonly months: readonly string[] }
  | { readonly state: 'fresh'; readonly months: readonly string[]; readonly syncedAt: number };

/**
 * Keeps the archive index docs of the months `needed` names (history,
 * 数据分析 of earlier months) on this device: fetched when asked, kept in
 * IndexedDB, offline after. Their rows join the device's rows (the Dexie
 * projection), so the views that read those need nothing else; `view` says
 * whether they are loading, not fetched yet (offline) or how fresh they are.
 */
export function useArchives(needed: Ref<readonly string[]>) {
  const status = useWatchable(data.archives);
  const sync = useWatchable(data.syncStatus);
  const offline = computed(() => sync.value.phase === 'offline' || sync.value.phase === 'signed_out');
  watch(needed, (months) => months.length > 0 && data.openArchives(months), { immediate: true });

  const view = computed<ArchiveView>(() => {
    const months = needed.value;
    const current = status.value;
    if (months.length === 0 || current === null) return { state: 'none' };
    // A month received once is kept (and shown as of then) while it syncs again, offline too.
    const times = months.map((m) => current.months[m]);
    const missing = months.filter((_, i) => typeof times[i] !== 'number');
    if (missing.length > 0) return { state: offline.value ? 'waiting' : 'loading', months: missing };
    return { state: 'fresh', months, syncedAt: Math.min(...times.map((t) => t ?? 0)) };
  });

  /** The months kept on this device, newest first. */
  const kept = computed(() => Object.keys(status.value?.months ?? {}).sort().reverse());
  return { view, kept };
}
