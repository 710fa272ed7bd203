/**
 * What the PWA's first screen and its data layer share, Dexie-free: the page's
 * session shape, the inbox tabs, and index.html's early read. The first screen
 * (`index.ts`, in the entry) draws from the early read; the data layer
 * (`layer.ts`, a chunk loaded right after the first paint) takes over from it.
 */
import type { InboxTab } from '#shared/order/status.ts';
import type { StoredSession } from '#shared/local/first-read.ts';
import type { Role, User } from '#shared/org/roles.ts';
import { STORED_KEYS } from './storage-keys.ts';

export interface Session {
  readonly user: User;
  readonly token: string;
  /** Demo mode: local data only, no server. */
  readonly demo: boolean;
  /** server clock − device clock, as last measured. */
  readonly serverOffsetMs: number;
  readonly place: StoredSession['place'];
}

/** The page's session from the client's (`local`: demo mode), one shape wherever it was read. */
export function pageSession(value: Pick<Session, 'user' | 'token' | 'serverOffsetMs' | 'place'> & { readonly local: boolean }): Session {
  return { user: value.user, token: value.token, demo: value.local, serverOffsetMs: value.serverOffsetMs, place: value.place };
}

/** The same session (the first screen's, from the early read, and the data layer's, from Dexie, are two objects). */
export function sameSession(a: Session | null, b: Session | null): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** The inbox tabs the app shows: the shared tabs without 'other', plus all. */
export type InboxTabKey = Exclude<InboxTab, 'other'> | 'all';

/** The inbox tabs, in the order the inbox shows them. */
export const INBOX_TABS: readonly InboxTabKey[] = ['todo', 'doing', 'done', 'all'];

/** The inbox tab last shown in this browser session, else the to-do tab. */
export function initialInboxTab(): InboxTabKey {
  const stored = sessionStorage.getItem(STORED_KEYS.inboxTab.key);
  return INBOX_TABS.find((key) => key === stored) ?? 'todo';
}

export function rememberInboxTab(tab: InboxTabKey): void {
  sessionStorage.setItem(STORED_KEYS.inboxTab.key, tab);
}

/** index.html's first read (pwa/scripts/early-read.ts): the first tab's rows and the session's rows, as stored. */
export type FirstRead = NonNullable<Awaited<Window['__lianxinFirstRead']>>;

/** Ask the browser not to evict this origin's data (Chromium grants it to installed apps). */
export async function requestPersistence(): Promise<boolean> {
  return (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}

/** The roles whose home is the desk (工作台). */
export const DESK_ROLES: readonly Role[] = ['street_clerk', 'community_handler', 'supervisor'];

/**
 * Where a role lands: grid workers on their inbox, the offices on the desk,
 * supervisors on the indicators they are judged by (数据分析), admins on the
 * organisation (they read no orders: an inbox would be empty under "已同步"
 * only because of the role).
 */
export function homeFor(role: Role): 'inbox' | 'desk' | 'admin' | 'indicators' {
  if (role === 'admin') return 'admin';
  if (role === 'supervisor') return 'indicators';
  return DESK_ROLES.includes(role) ? 'desk' : 'inbox';
}
