/**
 * The panel's English messages, injected by the background into the panel's
 * frame (isolated world) only when the clerk switches to English
 * (lib/i18n/panel.ts): the panel carries Chinese only.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { en } from '../lib/i18n/en.ts';
import { EN_MESSAGES } from '../lib/panel-host.ts';

export default defineUnlistedScript(() => {
  (globalThis as unknown as Record<string, unknown>)[EN_MESSAGES] = en;
});
