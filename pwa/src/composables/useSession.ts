import { computed, shallowRef } from 'vue';
import * as data from '../data/index.ts';
import type { Session } from '../data/index.ts';

// One app-wide mirror of the data layer's session; never disposed.
const session = shallowRef<Session | null>(data.session.value);
const sessionEnded = shallowRef(data.sessionEnded.value);
data.session.watch((value) => (session.value = value));
data.sessionEnded.watch((value) => (sessionEnded.value = value));

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
