import { onScopeDispose, readonly, ref, type Ref } from 'vue';

/**
 * One clock for the whole app: a ref holding Date.now(), refreshed every
 * `TICK_MS` while anything uses it and whenever the page becomes visible again
 * (a phone back from the pocket must not show a stale "time left").
 */
const TICK_MS = 30_000;
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  now.value = Date.now();
}

function onVisibility(): void {
  if (document.visibilityState === 'visible') tick();
}

export function useNow(): Readonly<Ref<number>> {
  if (users++ === 0) {
    tick();
    timer = setInterval(tick, TICK_MS);
    document.addEventListener('visibilitychange', onVisibility);
  }
  onScopeDispose(() => {
    if (--users === 0) {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    }
  });
  return readonly(now);
}
