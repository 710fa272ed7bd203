import { onMounted, ref } from 'vue';
import { requestPersistence } from '../data/index.ts';

/** Storage used and available on this device, and whether it is protected from eviction. */
export function useStorageInfo() {
  const usage = ref<number | null>(null);
  const quota = ref<number | null>(null);
  const persisted = ref<boolean | null>(null);
  /** False until the first estimate has answered: until then the usage is not known to be unknown. */
  const measured = ref(false);

  async function refresh(): Promise<void> {
    try {
      if (!navigator.storage) return;
      const estimate = await navigator.storage.estimate().catch(() => null);
      usage.value = estimate?.usage ?? null;
      quota.value = estimate?.quota ?? null;
      persisted.value = navigator.storage.persisted ? await navigator.storage.persisted() : null;
    } finally {
      measured.value = true;
    }
  }

  async function persist(): Promise<boolean> {
    const granted = await requestPersistence();
    await refresh();
    return granted;
  }

  onMounted(refresh);
  return { usage, quota, persisted, measured, refresh, persist };
}
