import { computed, ref, watch } from 'vue';
import { EMPTY_PHRASES, addPhrase, phrasesFor, readPhraseBook, removePhrase, unitPhrasesFor, type PhraseBook, type PhraseField } from '#shared/order/quick-phrases.ts';
import { ancestorsOf, buildOrgTree } from '#shared/org/units.ts';
import * as data from '../data/index.ts';
import { phrasesKey } from '../data/storage-keys.ts';
import { useSession } from './useSession.ts';
import { useWatchable } from './useWatchable.ts';

const directory = useWatchable(data.org);

/** The units' 常用语 for a worker of `unitId`: set by the unit and those above it (stored with the organisation, so offline too), else the defaults. */
function unitBook(unitId: string | null): PhraseBook {
  const org = directory.value;
  let chain: string[] = [];
  try {
    chain = unitId && org ? ancestorsOf(buildOrgTree(org.units), unitId).map((unit) => unit.id) : [];
  } catch {
    // A directory that does not form a tree: the defaults.
  }
  return unitPhrasesFor(chain, org?.phrases ?? {});
}

function load(userId: string | null): PhraseBook {
  if (!userId) return EMPTY_PHRASES;
  try {
    return readPhraseBook(JSON.parse(localStorage.getItem(phrasesKey(userId)) ?? 'null'));
  } catch {
    return EMPTY_PHRASES;
  }
}

/** 常用语 of one field: the units' (nearest first), then the signed-in worker's own (kept on this device per user). */
export function usePhrases(field: PhraseField) {
  const { user } = useSession();
  const own = ref<PhraseBook>(load(user.value?.id ?? null));
  watch(() => user.value?.id ?? null, (id) => (own.value = load(id)));

  function store(book: PhraseBook): void {
    own.value = book;
    const id = user.value?.id;
    if (id) localStorage.setItem(phrasesKey(id), JSON.stringify(book));
  }

  const units = computed(() => unitBook(user.value?.unitId ?? null));

  return {
    phrases: computed(() => phrasesFor(field, units.value, own.value)),
    isOwn: (phrase: string) => own.value[field].includes(phrase),
    save: (phrase: string) => store(addPhrase(own.value, field, phrase)),
    remove: (phrase: string) => store(removePhrase(own.value, field, phrase)),
  };
}
