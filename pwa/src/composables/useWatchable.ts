import { onScopeDispose, shallowRef, type ShallowRef } from 'vue';
import type { Watchable } from '../data/index.ts';

/** A data-layer Watchable as a Vue ref, for as long as the calling scope lives. */
export function useWatchable<T>(source: Watchable<T>): Readonly<ShallowRef<T>> {
  const value = shallowRef(source.value);
  const stop = source.watch((next) => (value.value = next));
  onScopeDispose(stop);
  return value;
}
