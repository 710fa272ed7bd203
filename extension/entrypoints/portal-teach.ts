/**
 * Teaching a portal (PanelTeach.vue and the teach engine), split from the
 * panel: only clerks teach, and only when they ask. The panel asks the
 * background (`teach.load`), which injects this script into the panel's frame,
 * in the content scripts' isolated world; it leaves a mount function there
 * (TEACH_MOUNT) that the panel calls with its host element. The teaching
 * panel is its own small Vue app inside the panel's shadow root (the panel's
 * styles apply), with its own Vue runtime: loaded only when asked, it keeps the
 * panel itself free of it.
 */
import { createApp } from 'vue';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import PanelTeach from './portal.content/PanelTeach.vue';
import { TEACH_MOUNT, type TeachMount } from '../lib/panel-host.ts';

export default defineUnlistedScript(() => {
  const mount: TeachMount = (host, callbacks) => {
    const app = createApp(PanelTeach, { onSaved: callbacks.onSaved, onClose: callbacks.onClose, kind: callbacks.kind });
    app.mount(host);
    return () => app.unmount();
  };
  (globalThis as unknown as Record<string, unknown>)[TEACH_MOUNT] = mount;
});
