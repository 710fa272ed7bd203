import { onScopeDispose, ref, type Ref } from 'vue';

/** At this width and wider the desk shows the queue and the order side by side. */
export const DESK_MIN_WIDTH = 1024;

/** True while the window is at least `DESK_MIN_WIDTH` wide. */
export function useWideScreen(): Readonly<Ref<boolean>> {
  const query = window.matchMedia(`(min-width: ${DESK_MIN_WIDTH}px)`);
  const wide = ref(query.matches);
  const onChange = (event: MediaQueryListEvent) => (wide.value = event.matches);
  query.addEventListener('change', onChange);
  onScopeDispose(() => query.removeEventListener('change', onChange));
  return wide;
}
