/**
 * The first read, while the app's code loads: index.html's inline script
 * (written here at build, and in the dev server, from the names the Dexie
 * schema is built from: shared/local/first-read.ts) opens the database with
 * the raw IndexedDB API and reads, in one transaction, the stored session's
 * rows and the first screen's rows (the inbox tab last shown in this browser
 * session, else 待办, by the same index as `inboxRows`). The app takes them
 * (pwa/src/data/index.ts draws the first screen from them before Dexie has loaded;
 * the data layer, pwa/src/data/layer.ts, restores its session from the same read)
 * so its first screen waits for neither Dexie nor the data layer; when the read
 * failed the app reads both with Dexie. A database that does not exist yet is
 * not created here (the upgrade is aborted): Dexie creates it with its schema.
 * The connection closes once the transaction is done.
 */
import type { Plugin } from 'vite';
import { DB_NAME, INBOX_INDEX, ORDERS_STORE, SESSION_KEYS, SESSION_STORE } from '#shared/local/first-read.ts';

/** The inline script; `tabKey`: the sessionStorage key of the inbox tab last shown. */
export function earlyReadScript(tabKey: string): string {
  const names = JSON.stringify({ db: DB_NAME, orders: ORDERS_STORE, index: INBOX_INDEX, session: SESSION_STORE, keys: SESSION_KEYS, tabKey });
  return `
try {
  (function (n) {
    var tab = sessionStorage.getItem(n.tabKey) || 'todo';
    window.__lianxinFirstRead = new Promise(function (resolve) {
      var open = indexedDB.open(n.db);
      open.onupgradeneeded = function () { open.transaction.abort(); };
      open.onerror = function (event) { event.preventDefault(); resolve(null); };
      open.onsuccess = function () {
        var db = open.result;
        var done = function (value) { db.close(); resolve(value); };
        try {
          var read = db.transaction([n.orders, n.session]);
          var result = { tab: null, rows: null, session: [] };
          if (tab !== 'all') {
            var rows = read.objectStore(n.orders).index(n.index).getAll(IDBKeyRange.bound([tab], [tab, []]));
            rows.onsuccess = function () { result.tab = tab; result.rows = rows.result; };
          }
          n.keys.forEach(function (key, i) {
            var row = read.objectStore(n.session).get(key);
            row.onsuccess = function () { result.session[i] = row.result; };
          });
          // A failed request aborts the transaction: then nothing of it is used.
          read.oncomplete = function () { done(result); };
          read.onabort = function () { done(null); };
        } catch (e) { done(null); }
      };
    });
  })(${names});
} catch (e) {}
`;
}

/** Where index.html wants the script: after its charset and viewport, before any stylesheet. */
export const EARLY_READ_MARKER = '<!-- lianxin:early-read -->';

/**
 * Puts `earlyReadScript` into index.html's head at `EARLY_READ_MARKER`: before the app's stylesheets
 * (a classic script after a stylesheet link waits for the stylesheet, so the read, and the 100–250 ms
 * the browser takes to open a cold IndexedDB, began only once the CSS had loaded: bench/README.md
 * "Cold start, part 5") and before the app's module script.
 */
export function earlyRead(tabKey: string): Plugin {
  return {
    name: 'lianxin-early-read',
    transformIndexHtml: (html) => {
      if (!html.includes(EARLY_READ_MARKER)) throw new Error(`index.html has no ${EARLY_READ_MARKER} for the early read`);
      return html.replace(EARLY_READ_MARKER, `<script>${earlyReadScript(tabKey)}</script>`);
    },
  };
}
