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
import { FIRST_FRAME_KEY, FIRST_FRAME_ROOT_ID, FRAME_ATTRIBUTE, FRAME_REFUSED_TAGS, FRAME_STYLE } from '#shared/local/first-frame.ts';

export interface EarlyReadNames {
  /** The sessionStorage key of the inbox tab last shown. */
  readonly tabKey: string;
  /** The localStorage key of the language chosen. */
  readonly localeKey: string;
  /** The build (its entry file): the inbox's last frame is drawn only by the build that recorded it; '' draws none. */
  readonly build: string;
}

/**
 * The inline script. Once the read is done it also draws the inbox's last frame (shared/local/first-frame.ts)
 * beside `#app` when it is still what Vue would draw, and hands the read to the app a frame later, so that the
 * drawn frame is painted before the app's own first frame (which can follow in the read's own task).
 */
export function earlyReadScript(names: EarlyReadNames): string {
  const n = JSON.stringify({
    db: DB_NAME,
    orders: ORDERS_STORE,
    index: INBOX_INDEX,
    session: SESSION_STORE,
    keys: SESSION_KEYS,
    user: SESSION_KEYS.indexOf('user'),
    token: SESSION_KEYS.indexOf('token'),
    frameKey: FIRST_FRAME_KEY,
    rootId: FIRST_FRAME_ROOT_ID,
    attribute: FRAME_ATTRIBUTE.source,
    style: FRAME_STYLE.source,
    refused: FRAME_REFUSED_TAGS,
    ...names,
  });
  return `
try {
  (function (n) {
    var tab = sessionStorage.getItem(n.tabKey) || 'todo';
    window.__lianxinFrameBuild = n.build;
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
          var frame = null;
          if (tab !== 'all') {
            var rows = read.objectStore(n.orders).index(n.index).getAll(IDBKeyRange.bound([tab], [tab, []]));
            rows.onsuccess = function () { result.tab = tab; result.rows = rows.result; };
          }
          n.keys.forEach(function (key, i) {
            var row = read.objectStore(n.session).get(key);
            row.onsuccess = function () { result.session[i] = row.result; };
          });
          if (n.build) {
            var stored = read.objectStore(n.session).get(n.frameKey);
            stored.onsuccess = function () { frame = stored.result ? stored.result.value : null; };
          }
          // A failed request aborts the transaction: then nothing of it is used.
          read.oncomplete = function () {
            db.close();
            var drawn = false;
            try { drawn = draw(frame, result); } catch (e) {}
            if (!drawn) return resolve(result);
            performance.mark('lianxin:first-frame');
            var handed = false;
            var hand = function () { if (!handed) { handed = true; resolve(result); } };
            requestAnimationFrame(function () { setTimeout(hand, 0); });
            // A page hidden right after the drawing has no animation frame: the app starts all the same.
            setTimeout(hand, 1000);
          };
          read.onabort = function () { done(null); };
        } catch (e) { done(null); }
      };
    });
    function draw(f, result) {
      var user = result.session[n.user];
      if (!f || !user || result.session[n.token] === undefined || document.visibilityState !== 'visible') return false;
      if (f.build !== n.build || f.userId !== user.value.id || f.tab !== result.tab || !result.rows) return false;
      if (f.localeChoice !== localStorage.getItem(n.localeKey)) return false;
      if (f.validUntil !== null && Date.now() >= f.validUntil) return false;
      if (['', '#', '#/', '#/inbox'].indexOf(location.hash) < 0) return false;
      var print = result.rows.map(function (r) { return r.id + '@' + r.updatedAt; }).sort().join(' ');
      var app = document.getElementById('app');
      if (print !== f.rows || !app || document.getElementById(n.rootId)) return false;
      var root = document.createElement('div');
      root.id = n.rootId;
      root.setAttribute('inert', '');
      root.setAttribute('aria-hidden', 'true');
      f.tree.forEach(function (node) { add(root, node); });
      app.parentNode.insertBefore(root, app);
      return true;
    }
    var attribute = new RegExp(n.attribute);
    var style = new RegExp(n.style);
    function add(parent, node) {
      if (typeof node === 'string') return parent.appendChild(document.createTextNode(node));
      var svg = node[0].indexOf('svg:') === 0;
      var tag = svg ? node[0].slice(4) : node[0];
      if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test(tag) || n.refused.indexOf(tag.toLowerCase()) >= 0) return;
      var el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
      var i;
      for (i = 0; i + 1 < node[1].length; i += 2) if (attribute.test(node[1][i])) el.setAttribute(node[1][i], node[1][i + 1]);
      for (i = 0; i + 1 < node[2].length; i += 2) if (style.test(node[2][i])) el.style.setProperty(node[2][i], node[2][i + 1]);
      for (i = 3; i < node.length; i++) add(el, node[i]);
      parent.appendChild(el);
    }
  })(${n});
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
export function earlyRead(names: Omit<EarlyReadNames, 'build'>): Plugin {
  return {
    name: 'lianxin-early-read',
    transformIndexHtml: (html, context) => {
      if (!html.includes(EARLY_READ_MARKER)) throw new Error(`index.html has no ${EARLY_READ_MARKER} for the early read`);
      // The entry's file is named by its content, and so by every first-screen component's scoped styles (the dev server has none: no frame).
      const build = context.chunk?.fileName ?? '';
      return html.replace(EARLY_READ_MARKER, `<script>${earlyReadScript({ ...names, build })}</script>`);
    },
  };
}
