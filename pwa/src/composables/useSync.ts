import * as data from '../data/index.ts';
import { useWatchable } from './useWatchable.ts';

const status = useWatchable(data.syncStatus);
const pending = useWatchable(data.pending);

/** Where the device's work stands: the sync bar and the sign-out check read this. */
export function useSync() {
  return {
    status,
    pending,
    isPhotoPending: (sha256: string) => pending.value.photoHashes.has(sha256),
  };
}
