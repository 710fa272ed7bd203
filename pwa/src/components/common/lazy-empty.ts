/**
 * Vant's Empty for the first screen's empty state (the inbox's 暂无工单): its
 * illustrations are inline SVG, and an inbox with rows never shows it, so it
 * is not part of the first paint (bench/README.md, first paint part 3).
 * Warmed with the lazy pages (main.ts), so an old tab has it offline too.
 */
import { defineAsyncComponent } from 'vue';

export function loadEmpty(): Promise<typeof import('vant/es/empty/index').Empty> {
  return Promise.all([import('vant/es/empty/index'), import('vant/es/empty/style/index')]).then(([module]) => module.Empty);
}

/** `<van-empty>` loaded on first use: bound as `VanEmpty` in a component's setup, the template's tag takes it. */
export const LazyEmpty = defineAsyncComponent(loadEmpty);
