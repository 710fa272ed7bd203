import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue';
import type { Watchable } from '../data/index.ts';

/**
 * A data-layer Watchable as a Vue ref. Called in a component it stops with the
 * component; called at module level (one app-wide mirror, as the composables
 * keep) it lives as long as the data layer, which is the app's lifetime.
 */
export function useWatchable<T>(source: Watchable<T>): Readonly<ShallowRef<T>> {
  const value = shallowRef(source.value);
  const stop = source.watch((next) => (value.value = next));
  if (getCurrentScope()) onScopeDispose(stop);
  return value;
}
