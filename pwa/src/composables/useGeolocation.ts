import { ref } from 'vue';
import type { Location } from '#shared/order/values.ts';

export type NoFixReason = Extract<Location, { kind: 'none' }>['reason'];

export interface LocateResult {
  readonly location: Location;
  /** Set when the browser refused or failed; the UI explains it. */
  readonly error: NoFixReason | null;
}

/** Above this the fix is shown as poor, and the worker may try again. */
export const POOR_ACCURACY_M = 100;

/**
 * One position fix, as the shared Location type: a fix with its accuracy, or
 * an explicit "none" with the reason, so "no position" is recorded, not silent.
 */
export function locateOnce(options: { timeoutMs?: number; maximumAgeMs?: number } = {}): Promise<LocateResult> {
  if (!('geolocation' in navigator)) return Promise.resolve({ location: { kind: 'none', reason: 'unavailable' }, error: 'unavailable' });
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          location: {
            kind: 'fix',
            position: {
              lat: position.coords.latitude,
              lng: position.coords.longitude,
              accuracy: Math.min(100000, Math.max(0, Math.round(position.coords.accuracy))),
            },
          },
          error: null,
        }),
      (failure) => {
        const reason: NoFixReason = failure.code === failure.PERMISSION_DENIED ? 'denied' : failure.code === failure.TIMEOUT ? 'timeout' : 'unavailable';
        resolve({ location: { kind: 'none', reason }, error: reason });
      },
      { enableHighAccuracy: true, timeout: options.timeoutMs ?? 15000, maximumAge: options.maximumAgeMs ?? 0 },
    );
  });
}

/** Reactive wrapper for a form that locates on demand. */
export function useGeolocation() {
  const locating = ref(false);
  const result = ref<LocateResult | null>(null);
  async function locate(options?: Parameters<typeof locateOnce>[0]): Promise<LocateResult> {
    locating.value = true;
    try {
      const found = await locateOnce(options);
      result.value = found;
      return found;
    } finally {
      locating.value = false;
    }
  }
  return { locating, result, locate };
}
