import { onScopeDispose, type Ref } from 'vue';
import { FIRST_FRAME_ROOT_ID, frameValidUntil, rowsPrint, type FirstFrame } from '#shared/local/first-frame.ts';
import { afterFirstScreen, saveFirstFrame, type InboxRow, type InboxTabKey } from '../data/index.ts';
import { homeFor } from '../data/first-screen.ts';
import { STORED_KEYS } from '../data/storage-keys.ts';
import { frameTree } from '../util/frame-tree.ts';
import { whenIdle } from '../util/idle.ts';
import { useSession } from './useSession.ts';

/** Quiet after the last change to the screen before it is recorded: a screen being changed is recorded once it settles. */
const SETTLE_MS = 1000;

export interface InboxShown {
  readonly tab: Readonly<Ref<InboxTabKey>>;
  readonly search: Readonly<Ref<string>>;
  readonly rows: Readonly<Ref<readonly InboxRow[]>>;
  readonly loaded: Readonly<Ref<boolean>>;
  /** Pull-to-refresh under way: its head is not part of a start's screen. */
  readonly refreshing: Readonly<Ref<boolean>>;
}

/**
 * Records the inbox's frame for the next start (shared/local/first-frame.ts) whenever the screen has settled
 * after a change, and as the app is hidden (a phone put away is how a session ends). Only the screen a start
 * shows: the user's home is the inbox, 待办 at the top of the page, no search, no refresh. From the first screen's
 * paint on, so that it never competes with it; nothing in the dev server (no build to record under).
 */
export function useFirstFrameRecorder(shown: InboxShown): void {
  const build = window.__lianxinFrameBuild ?? '';
  if (build === '') return;
  const { session } = useSession();
  let last = '';
  let settle: ReturnType<typeof setTimeout> | undefined;
  let cancelIdle = (): void => undefined;
  let stopped = false;

  function record(): void {
    settle = undefined;
    const current = session.value;
    const app = document.getElementById('app');
    const rows = shown.rows.value;
    if (stopped || !app || !current || homeFor(current.user.role) !== 'inbox' || document.getElementById(FIRST_FRAME_ROOT_ID)) return;
    if (shown.tab.value !== 'todo' || shown.search.value !== '' || !shown.loaded.value || rows.length === 0 || shown.refreshing.value || window.scrollY !== 0) return;
    const frame: FirstFrame = {
      userId: current.user.id,
      build,
      localeChoice: localStorage.getItem(STORED_KEYS.locale.key),
      tab: shown.tab.value,
      rows: rowsPrint(rows),
      validUntil: frameValidUntil(rows, Date.now()),
      tree: frameTree(app),
    };
    const text = JSON.stringify(frame);
    if (text === last) return;
    last = text;
    saveFirstFrame(frame);
  }

  function changed(): void {
    clearTimeout(settle);
    cancelIdle();
    settle = setTimeout(() => (cancelIdle = whenIdle(record, SETTLE_MS)), SETTLE_MS);
  }

  function onHide(): void {
    if (document.visibilityState === 'hidden') record();
  }

  const observer = new MutationObserver(changed);
  void afterFirstScreen().then(() => {
    const app = document.getElementById('app');
    if (stopped || !app) return;
    observer.observe(app, { subtree: true, childList: true, attributes: true, characterData: true });
    document.addEventListener('visibilitychange', onHide);
    changed();
  });
  onScopeDispose(() => {
    stopped = true;
    observer.disconnect();
    clearTimeout(settle);
    cancelIdle();
    document.removeEventListener('visibilitychange', onHide);
  });
}
