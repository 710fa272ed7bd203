import { readonly, ref, type Ref } from 'vue';

const online = ref(navigator.onLine);
window.addEventListener('online', () => (online.value = true));
window.addEventListener('offline', () => (online.value = false));

/** The browser's own idea of connectivity; the sync state says whether the server is reachable. */
export function useOnline(): Readonly<Ref<boolean>> {
  return readonly(online);
}
