import { computed, ref, watch } from 'vue';
import { EMPTY_PHRASES, UNIT_DEFAULT_PHRASES, addPhrase, phrasesFor, readPhraseBook, removePhrase, type PhraseBook, type PhraseField } from '#shared/order/quick-phrases.ts';
import { phrasesKey } from '../data/storage-keys.ts';
import { useSession } from './useSession.ts';

function load(userId: string | null): PhraseBook {
  if (!userId) return EMPTY_PHRASES;
  try {
    return readPhraseBook(JSON.parse(localStorage.getItem(phrasesKey(userId)) ?? 'null'));
  } catch {
    return EMPTY_PHRASES;
  }
}

/** 常用语 of one field: the unit's, then the signed-in worker's own (kept on this device per user). */
export function usePhrases(field: PhraseField) {
  const { user } = useSession();
  const own = ref<PhraseBook>(load(user.value?.id ?? null));
  watch(() => user.value?.id ?? null, (id) => (own.value = load(id)));

  function store(book: PhraseBook): void {
    own.value = book;
    const id = user.value?.id;
    if (id) localStorage.setItem(phrasesKey(id), JSON.stringify(book));
  }

  return {
    phrases: computed(() => phrasesFor(field, UNIT_DEFAULT_PHRASES, own.value)),
    isOwn: (phrase: string) => own.value[field].includes(phrase),
    save: (phrase: string) => store(addPhrase(own.value, field, phrase)),
    remove: (phrase: string) => store(removePhrase(own.value, field, phrase)),
  };
}
