import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { matchesRuns, searchRuns, searchTextOf } from '../../../shared/local/search.ts';
import { inboxTab } from '../../../shared/order/status.ts';
import { compareForInbox } from '../../../shared/order/summary.ts';
import * as data from '../data/index.ts';
import type { InboxRow, InboxTabKey } from '../data/index.ts';

export const INBOX_TABS: readonly InboxTabKey[] = ['todo', 'doing', 'done', 'all'];

function matches(row: InboxRow, runs: readonly string[]): boolean {
  return matchesRuns(row.searchText ?? searchTextOf(searchRuns(`${row.orderNo} ${row.title} ${row.address}`)), runs);
}

/**
 * The inbox: rows from the Dexie projection (no Y.Doc is opened to draw it),
 * split by tab, searched by number, address or text, in the shared inbox order
 * (`compareForInbox`: overdue, then supervision, then nearest deadline).
 */
export function useInbox() {
  const all = shallowRef<InboxRow[]>([]);
  const loaded = ref(false);
  const tab = ref<InboxTabKey>((sessionStorage.getItem('lianxin.inboxTab') as InboxTabKey | null) ?? 'todo');
  const search = ref('');
  const needle = ref<string[]>([]);

  const stop = data.repository.watchInbox((rows) => {
    const now = Date.now();
    all.value = rows.slice().sort((a, b) => compareForInbox(a, b, now));
    loaded.value = true;
  });
  onScopeDispose(stop);

  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => (needle.value = searchRuns(value)), 120);
  });
  watch(tab, (value) => sessionStorage.setItem('lianxin.inboxTab', value));

  const counts = computed(() => {
    const c = { todo: 0, doing: 0, done: 0, all: all.value.length };
    for (const row of all.value) {
      const key = inboxTab(row.status);
      if (key !== 'other') c[key] += 1;
    }
    return c;
  });

  const rows = computed(() => {
    const inTab = tab.value === 'all' ? all.value : all.value.filter((row) => inboxTab(row.status) === tab.value);
    const runs = needle.value;
    return runs.length > 0 ? inTab.filter((row) => matches(row, runs)) : inTab;
  });

  /** Pull to refresh: the projection is live; this nudges sync and uploads. */
  async function refresh(): Promise<void> {
    await data.refresh();
  }

  return { tab, search, rows, counts, loaded, refresh };
}
