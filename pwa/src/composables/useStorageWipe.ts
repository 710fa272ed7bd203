import { shallowRef } from 'vue';
import { acknowledgeWipe, storageWipe } from '../data/storage-guard.ts';

// One app-wide mirror; never disposed.
const verdict = shallowRef(storageWipe.value);
storageWipe.watch((value) => (verdict.value = value));

/** Whether the browser deleted this device's data, and what was lost (pwa/src/data/storage-guard.ts). */
export function useStorageWipe() {
  return { verdict, acknowledge: acknowledgeWipe };
}
