import { computed } from 'vue';
import * as data from '../data/index.ts';
import { useWatchable } from './useWatchable.ts';

const session = useWatchable(data.session);
const sessionEnded = useWatchable(data.sessionEnded);

/** The signed-in user, and signing in and out. */
export function useSession() {
  return {
    session,
    user: computed(() => session.value?.user ?? null),
    /** Resolves once a stored session has been restored (the router waits for it). */
    ready: data.ready,
    /** The server ended the session: sign in again; unsynced work stays on the device. */
    sessionEnded,
    signIn: data.signIn,
    signInDemo: data.signInDemo,
    signOut: data.signOut,
  };
}
