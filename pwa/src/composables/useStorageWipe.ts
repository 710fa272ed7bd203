import { acknowledgeWipe, storageWipe } from '../data/storage-guard.ts';
import { useWatchable } from './useWatchable.ts';

const verdict = useWatchable(storageWipe);

/** Whether the browser deleted this device's data, and what was lost (pwa/src/data/storage-guard.ts). */
export function useStorageWipe() {
  return { verdict, acknowledge: acknowledgeWipe };
}
