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
  /** The first screen's rows, read by index.html's inline script while the app loads (data/index.ts `takeFirstInboxRows`). */
  __lianxinFirstRows?: Promise<{ readonly tab: string; readonly rows: unknown[] } | null>;
}
