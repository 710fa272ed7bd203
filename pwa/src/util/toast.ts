/**
 * Vant's toast for the first screen (the inbox's pull to refresh), loaded on
 * first use: with its popup and overlay it is not part of the first paint.
 * Warmed with the lazy pages (main.ts), so an old tab has it offline too.
 */
export function loadToast(): Promise<typeof import('vant/es/toast/function-call')> {
  return import('vant/es/toast/function-call');
}
