import { shallowRef } from 'vue';
import * as data from '../data/index.ts';

const status = shallowRef(data.syncStatus.value);
const pending = shallowRef(data.pending.value);
data.syncStatus.watch((value) => (status.value = value));
data.pending.watch((value) => (pending.value = value));

/** Where the device's work stands: the sync bar and the sign-out check read this. */
export function useSync() {
  return {
    status,
    pending,
    isPhotoPending: (sha256: string) => pending.value.photoHashes.has(sha256),
  };
}
