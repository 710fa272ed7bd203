/**
 * Hash history: the app works from any base path and from any static server
 * (including the service worker's cached index.html) without a fallback rule
 * on the server, and a deep link opened offline still lands in the app.
 *
 * Pages are imported eagerly, not lazily: after a service-worker update the old
 * version's chunks are gone from the cache, and a tab still running the old
 * version would fail to open a page it had not loaded yet while offline.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { useSession } from './composables/useSession.ts';
import LoginPage from './pages/LoginPage.vue';
import InboxPage from './pages/InboxPage.vue';
import OrderDetailPage from './pages/OrderDetailPage.vue';
import FieldReportPage from './pages/FieldReportPage.vue';
import MePage from './pages/MePage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Show the bottom tab bar. */
    tabbar?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/inbox' },
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
  { path: '/inbox', name: 'inbox', component: InboxPage, meta: { tabbar: true } },
  { path: '/orders/:id', name: 'order', component: OrderDetailPage, props: true },
  { path: '/report', name: 'report', component: FieldReportPage, meta: { tabbar: true } },
  { path: '/me', name: 'me', component: MePage, meta: { tabbar: true } },
  { path: '/:pathMatch(.*)*', redirect: '/inbox' },
];

export const router = createRouter({
  history: createWebHashHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach(async (to) => {
  const { ready, session, sessionEnded } = useSession();
  await ready;
  if (!to.meta.public && !session.value) return { name: 'login', query: to.fullPath !== '/inbox' ? { next: to.fullPath } : {} };
  // Signed in and valid: no reason to see the login screen. An ended session may sign in again.
  if (to.name === 'login' && session.value && !sessionEnded.value) return { name: 'inbox' };
  return true;
});
