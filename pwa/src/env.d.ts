/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface ImportMetaEnv {
  /** The app's version, from package.json (set by pwa/vite.config.ts). */
  readonly VITE_APP_VERSION?: string;
}

interface Window {
  /**
   * The stored session's rows and the first screen's rows, read by index.html's inline script while the app
   * loads (pwa/scripts/early-read.ts; data/index.ts draws the first screen from it); null when the read failed or there is no database yet.
   */
  __lianxinFirstRead?: Promise<{ readonly tab: string | null; readonly rows: unknown[] | null; readonly session: unknown[] } | null>;
  /** The build whose inbox frame index.html's script draws ('' in the dev server: none); the app records its frames under it. */
  __lianxinFrameBuild?: string;
}

/** The rest of Chinese's messages after the first screen's, compiled (pwa/scripts/precompile-messages.ts). */
declare module 'virtual:lianxin-rest-messages' {
  const messages: Record<string, unknown>;
  export default messages;
}
