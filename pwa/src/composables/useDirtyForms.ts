import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';

/**
 * Which forms hold unsent input right now. The update prompt reads this: a new
 * version is never activated (and the page never reloaded) while any form is
 * dirty, so a half-written close cannot be lost to an update.
 */
const dirty = ref(new Set<symbol>());

export const anyFormDirty = computed(() => dirty.value.size > 0);

/** Register a form; it counts as dirty while `isDirty` is true, until the component goes away. */
export function useDirtyForm(isDirty: Ref<boolean>): void {
  const key = Symbol('form');
  const set = (value: boolean) => {
    const next = new Set(dirty.value);
    if (value) next.add(key);
    else next.delete(key);
    dirty.value = next;
  };
  watch(isDirty, set, { immediate: true });
  onScopeDispose(() => set(false));
}

/** Warn before the tab is closed with unsent input; actions already saved are in IndexedDB. */
export function installBeforeUnloadGuard(): void {
  window.addEventListener('beforeunload', (event) => {
    if (anyFormDirty.value) event.preventDefault();
  });
}
