import { computed, nextTick, onScopeDispose, ref, shallowRef, watch } from 'vue';
import { matchesRuns, searchRuns, searchTextOf } from '#shared/local/search.ts';
import * as data from '../data/index.ts';
import type { InboxCounts, InboxRow, InboxTabKey } from '../data/index.ts';
import { useSync } from './useSync.ts';

export { INBOX_TABS } from '../data/index.ts';

function matches(row: InboxRow, runs: readonly string[]): boolean {
  return matchesRuns(row.searchText ?? searchTextOf(searchRuns(`${row.orderNo} ${row.title} ${row.address}`)), runs);
}

/**
 * The inbox: the visible tab's rows from the Dexie projection (read by index,
 * no Y.Doc opened), in the shared inbox order (`compareForInbox`: overdue,
 * then supervision, then nearest deadline); counts per tab from index counts;
 * search over the visible tab's rows by number, address or text.
 * `listKnown`: the rows shown were read after the user's list arrived
 * (`listLoaded`), so an empty list is known to be empty ("暂无工单").
 */
export function useInbox() {
  const tab = ref<InboxTabKey>(data.initialInboxTab());
  // Rows of the tab they were read for: a tab switch shows nothing stale while its rows load.
  const read = shallowRef<{ readonly tab: InboxTabKey; readonly rows: readonly InboxRow[]; readonly live: boolean } | null>(null);
  const counts = shallowRef<InboxCounts>({ todo: 0, doing: 0, done: 0, other: 0, all: 0 });
  const search = ref('');
  const needle = ref<string[]>([]);

  let stopRows = (): void => undefined;
  let stopCounts = (): void => undefined;
  let disposed = false;
  let firstShown = false;
  function show(value: InboxTabKey, rows: readonly InboxRow[], live: boolean): void {
    read.value = { tab: value, rows, live };
    if (firstShown) return;
    firstShown = true;
    performance.mark('lianxin:inbox-rows');
    // The counts and the deferred sync wait until the frame that draws the first rows.
    void nextTick(() =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (!disposed) stopCounts = data.repository.watchInboxCounts((value) => (counts.value = value));
          data.firstScreenPainted();
        }, 0),
      ),
    );
  }

  watch(
    tab,
    (value) => {
      stopRows();
      data.rememberInboxTab(value);
      const first = data.takeFirstInboxRows(value);
      // In already (the early read holds them): drawn in the page's first render.
      if (first?.now) show(value, first.now, false);
      else
        void first?.rows.then((rows) => {
          // The live query may have answered first; its rows are the newer.
          if (rows && tab.value === value && !(read.value?.tab === value && read.value.live)) show(value, rows, false);
        });
      stopRows = data.repository.watchInboxTab(value, (rows) => show(value, rows, true));
    },
    { immediate: true },
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => (needle.value = searchRuns(value)), 120);
  });

  onScopeDispose(() => {
    disposed = true;
    stopRows();
    stopCounts();
    clearTimeout(timer);
  });

  // listLoaded turns true once the first index sync's rows are written; the live query re-reads them a
  // moment later, and until it has, the rows shown are from before: read the tab again before an empty
  // list may say "暂无工单".
  const { status } = useSync();
  const listKnown = ref(status.value.listLoaded);
  watch(
    () => status.value.listLoaded,
    (known) => {
      listKnown.value = false;
      if (!known) return;
      const value = tab.value;
      void data.repository.readInboxTab(value).then(
        (rows) => {
          if (disposed) return;
          if (tab.value === value) show(value, rows, true);
          listKnown.value = status.value.listLoaded;
        },
        () => (listKnown.value = status.value.listLoaded),
      );
    },
  );

  const inTab = computed(() => (read.value?.tab === tab.value ? read.value.rows : null));
  const loaded = computed(() => inTab.value !== null);
  const rows = computed(() => {
    const runs = needle.value;
    const shown = inTab.value ?? [];
    return runs.length > 0 ? shown.filter((row) => matches(row, runs)) : shown;
  });

  /** Pull to refresh: the projection is live; this nudges sync and uploads. */
  async function refresh(): Promise<void> {
    await data.refresh();
  }

  return { tab, search, rows, counts, loaded, listKnown, refresh };
}
