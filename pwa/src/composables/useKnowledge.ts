import { onScopeDispose, ref, shallowRef, watch, getCurrentScope } from 'vue';
import * as data from '../data/index.ts';
import { askKnowledge } from '../knowledge/client.ts';
import type { KnowledgeFindFilter, KnowledgeResult } from '../knowledge/protocol.ts';
import { useWatchable } from './useWatchable.ts';

export type { KnowledgeResult };

/** How long typing may pause before the search runs. */
const TYPING_MS = 120;

/**
 * Knowledge search in the worker (pwa/src/knowledge): a query and filters in,
 * ranked results with highlight ranges out. Replies to queries the user has
 * already typed past are dropped. The worker catches up whenever the device's
 * knowledge base syncs. Import this composable only from lazy components: it
 * starts the worker.
 */
export function useKnowledge(options: { readonly limit?: number } = {}) {
  const limit = options.limit ?? 20;
  const status = useWatchable(data.knowledgeStatus);
  const query = ref('');
  const category = ref<string | null>(null);
  const area = ref<string | null>(null);
  const results = shallowRef<readonly KnowledgeResult[]>([]);
  const searching = ref(false);
  const error = ref<string | null>(null);
  const size = ref<number | null>(null);
  const categories = shallowRef<readonly string[]>([]);
  const areas = shallowRef<readonly string[]>([]);
  let latest = 0;

  async function refresh(): Promise<void> {
    const reply = await askKnowledge({ type: 'refresh' });
    if (reply.type === 'ready') size.value = reply.size;
    else if (reply.type === 'error') error.value = reply.message;
    const facets = await askKnowledge({ type: 'facets' });
    if (facets.type === 'facets') {
      categories.value = facets.categories;
      areas.value = facets.areas;
    }
  }

  /** Search now; resolves with the results (also set on `results` unless a newer search started). */
  async function find(text: string, filter: KnowledgeFindFilter = { category: category.value, area: area.value }, count = limit): Promise<readonly KnowledgeResult[]> {
    const mine = ++latest;
    if (text.trim() === '') {
      results.value = [];
      return [];
    }
    searching.value = true;
    const reply = await askKnowledge({ type: 'find', query: text, filter, limit: count, now: Date.now() });
    if (mine !== latest) return reply.type === 'found' ? reply.results : [];
    searching.value = false;
    if (reply.type === 'found') {
      error.value = null;
      results.value = reply.results;
      return reply.results;
    }
    error.value = reply.type === 'error' ? reply.message : null;
    return [];
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  const stopQuery = watch([query, category, area], () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void find(query.value), TYPING_MS);
  });
  // A sync that changed the knowledge base: the worker catches up, the search runs again.
  const stopStatus = watch(status, () => void refresh().then(() => (query.value ? find(query.value) : undefined)));
  if (getCurrentScope())
    onScopeDispose(() => {
      stopQuery();
      stopStatus();
      if (timer) clearTimeout(timer);
    });
  void refresh();

  return { query, category, area, results, searching, error, size, categories, areas, status, find, refresh };
}
