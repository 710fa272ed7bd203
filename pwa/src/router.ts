/**
 * Hash history: the app works from any base path and from any static server
 * (including the service worker's cached index.html) without a fallback rule
 * on the server, and a deep link opened offline still lands in the app.
 *
 * The inbox is in the entry chunk (it is the first paint); the other pages are
 * lazy chunks. After a service-worker update the old version's chunks leave
 * the cache, and a tab still on the old version (say, its reload refused by an
 * unsent form) must not need one of them offline. So every page's module is
 * imported ("warmed") once a newer version is found (right after the first
 * paint in a tab the service worker does not control yet: `untilWarmingNeeded`),
 * and the update prompt does not activate a new version before warming has
 * finished in every open tab (`whenPagesWarmed`, `afterWarmingEverywhere`).
 */
import { createRouter, createWebHashHistory, type NavigationGuardReturn, type RouteComponent, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { useSession } from './composables/useSession.ts';
import { afterFirstScreen, afterFirstSync, isSessionReady } from './data/index.ts';
import { DESK_ROLES, homeFor } from './data/first-screen.ts';
import type { Role } from '#shared/org/roles.ts';
import { whenIdle } from './util/idle.ts';
import { loadMessages } from './i18n/index.ts';
import InboxPage from './pages/InboxPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Show the bottom tab bar. */
    tabbar?: boolean;
    /** Only these roles (others go home). */
    roles?: readonly Role[];
  }
}

/** A lazy page: its module, once the messages beyond the first screen's are in (i18n `loadMessages`). */
const lazyPage =
  <T>(load: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([load(), loadMessages()]).then(([module]) => module);

/** The lazy pages; `warmPages` imports each of them once. */
const lazyPages = {
  login: lazyPage(() => import('./pages/LoginPage.vue')),
  order: lazyPage(() => import('./pages/OrderDetailPage.vue')),
  report: lazyPage(() => import('./pages/FieldReportPage.vue')),
  me: lazyPage(() => import('./pages/MePage.vue')),
  notifications: lazyPage(() => import('./pages/NotificationsPage.vue')),
  desk: lazyPage(() => import('./pages/DeskPage.vue')),
  admin: lazyPage(() => import('./pages/AdminPage.vue')),
  indicators: lazyPage(() => import('./pages/IndicatorsPage.vue')),
  knowledge: lazyPage(() => import('./pages/KnowledgePage.vue')),
  knowledgeImport: lazyPage(() => import('./pages/KnowledgeImportPage.vue')),
  knowledgeSynonyms: lazyPage(() => import('./pages/KnowledgeSynonymsPage.vue')),
} satisfies Record<string, () => Promise<{ default: RouteComponent }>>;

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', redirect: '/inbox' },
  { path: '/login', name: 'login', component: lazyPages.login, meta: { public: true } },
  { path: '/inbox', name: 'inbox', component: InboxPage, meta: { tabbar: true } },
  { path: '/orders/:id', name: 'order', component: lazyPages.order, props: true },
  { path: '/report', name: 'report', component: lazyPages.report, meta: { tabbar: true } },
  { path: '/me', name: 'me', component: lazyPages.me, meta: { tabbar: true } },
  { path: '/notifications', name: 'notifications', component: lazyPages.notifications },
  { path: '/desk', name: 'desk', component: lazyPages.desk, meta: { tabbar: true, roles: DESK_ROLES } },
  { path: '/admin', name: 'admin', component: lazyPages.admin, meta: { tabbar: true, roles: ['admin'] } },
  /** 数据分析: the supervisor's and street leader's home page, a tab for clerks (docs/INDICATORS.md). */
  { path: '/indicators', name: 'indicators', component: lazyPages.indicators, meta: { tabbar: true } },
  /** 知识库: search the knowledge base on the device (docs/KNOWLEDGE.md). */
  { path: '/knowledge', name: 'knowledge', component: lazyPages.knowledge },
  { path: '/admin/knowledge', name: 'knowledge-import', component: lazyPages.knowledgeImport, meta: { roles: ['admin'] } },
  { path: '/admin/knowledge/synonyms', name: 'knowledge-synonyms', component: lazyPages.knowledgeSynonyms, meta: { roles: ['admin'] } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

/**
 * The desk's right pane (`?order=`) changed and nothing else: the queue list
 * stays where the clerk was reading (scrolling it to the top would also force
 * a layout on every order opened).
 */
function paneOnly(to: RouteLocationNormalized, from: RouteLocationNormalized): boolean {
  if (to.path !== from.path || to.query.order === from.query.order) return false;
  const keys = new Set([...Object.keys(to.query), ...Object.keys(from.query)]);
  keys.delete('order');
  return [...keys].every((key) => to.query[key] === from.query[key]);
}

export const router = createRouter({
  history: createWebHashHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? (paneOnly(to, from) ? false : { top: 0 }),
});

// Once the stored session is known (the early read's, or the data layer's), a navigation is decided at once, without waiting on `ready`.
router.beforeEach((to) => (isSessionReady() ? allowed(to) : useSession().ready.then(() => allowed(to))));

function allowed(to: RouteLocationNormalized): NavigationGuardReturn {
  const { session, sessionEnded } = useSession();
  if (!to.meta.public && !session.value) return { name: 'login', query: to.fullPath !== '/inbox' && to.fullPath !== '/' ? { next: to.fullPath } : {} };
  const role = session.value?.user.role;
  // Signed in and valid: no reason to see the login screen. An ended session may sign in again.
  if (to.name === 'login' && role && !sessionEnded.value) return { name: homeFor(role) };
  if (!role) return true;
  if (to.name === 'home' || to.redirectedFrom?.name === 'home') return to.name === homeFor(role) ? true : { name: homeFor(role) };
  if (to.meta.roles && !to.meta.roles.includes(role)) return { name: homeFor(role) };
  // Admins read no orders: their inbox would be empty only because of the role.
  if (to.name === 'inbox' && role === 'admin') return { name: 'admin' };
  return true;
}

/** Held (shared) by every tab while it warms; the update takes it exclusively. */
const WARMING_LOCK = 'lianxin:warming-pages';

let warmed: Promise<void> | null = null;
let markWarmed: () => void = () => undefined;
const warmedHere = new Promise<void>((resolve) => (markWarmed = resolve));

/** Resolves once this tab holds every page's module (JS and CSS). */
export function whenPagesWarmed(): Promise<void> {
  return warmedHere;
}

/**
 * Import every lazy page once, in the background, and run `alsoWarm` (the
 * app's other lazy modules and its photo worker, which must likewise be loaded
 * before an update empties the cache). Called at start: the shared Web Lock is
 * taken at once (so an update tapped in another tab waits for this one), the
 * imports wait for the first route's page, for the data layer's first screen
 * (the inbox's rows drawn; a timeout on other routes), for an idle moment,
 * so they never compete with the first paint, in a tab the service worker
 * controls for a newer version (`untilWarmingNeeded`), and for a first sync's
 * work to be in (`afterFirstSync`: a sign-in tapped before the warming began). A failed import (not
 * cached: development only) is retried when the page is opened.
 */
export function warmPages(alsoWarm: readonly (() => Promise<unknown>)[] = []): Promise<void> {
  warmed ??= holdShared(WARMING_LOCK, async () => {
    await router.isReady();
    await afterFirstScreen();
    await afterPaint();
    await untilWarmingNeeded();
    await afterFirstSync();
    performance.mark('lianxin:warming');
    await Promise.allSettled([...Object.values(lazyPages), ...alsoWarm].map((load) => load()));
    markWarmed();
  });
  return warmed;
}

/** How long an update waits for other tabs' warming: a frozen background tab must not hold it back for ever. */
const OTHER_TABS_WAIT_MS = 10_000;

/**
 * Run `apply` once this tab and every other open tab of the app have warmed
 * their pages: from then on, no tab needs a file of this version's cache.
 */
export async function afterWarmingEverywhere(apply: () => Promise<void>): Promise<void> {
  await whenPagesWarmed();
  if (!('locks' in navigator)) return apply();
  const applied = await navigator.locks
    .request(WARMING_LOCK, { mode: 'exclusive', signal: AbortSignal.timeout(OTHER_TABS_WAIT_MS) }, async () => {
      await apply();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return false;
      throw error;
    });
  if (!applied) await apply();
}

/** Web Locks are in every browser the app supports; without them only this tab is waited for. */
function holdShared(name: string, task: () => Promise<void>): Promise<void> {
  if (!('locks' in navigator)) return task();
  return navigator.locks.request(name, { mode: 'shared' }, task);
}

/**
 * Resolves when this tab must warm. A tab the service worker controls has
 * every file of its version in the precache, which only the activation of a
 * newer version empties: it warms once a newer version is found (installing
 * or waiting at start, or `updatefound`, which reaches every tab), and that
 * version is not activated before this tab has warmed (`afterWarmingEverywhere`:
 * this tab holds the shared lock meanwhile). A tab the worker does not control
 * (the first visit, before `clients.claim`, or no service worker) warms at once.
 * So on a cold start the first screen's quiet moments are not spent importing
 * every page (ECharts included) that the precache already keeps offline.
 */
async function untilWarmingNeeded(): Promise<void> {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
  const registration = await navigator.serviceWorker.getRegistration().catch(() => undefined);
  if (!registration || registration.installing || registration.waiting) return;
  performance.mark('lianxin:warming-deferred');
  await new Promise<void>((resolve) => registration.addEventListener('updatefound', () => resolve(), { once: true }));
}

/** The next idle moment, after the route's page is on screen. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => void whenIdle(resolve));
}
