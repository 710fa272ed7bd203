import { onScopeDispose, readonly, shallowRef } from 'vue';

/**
 * The desk's keyboard shortcuts: one registry, one keydown listener. The desk
 * binds next / previous order (j k ↓ ↑); the order's actions bind theirs
 * (审核通过, 派单 …) while the order is shown, through the same registry:
 *
 *   const { register } = useDeskShortcuts();
 *   register({ id: 'review-pass', keys: ['p'], label: t('…'), run: () => … });
 *
 * A registration lasts as long as the component (effect scope) that made it,
 * or until its unregister is called. The latest registration of a key wins.
 * Keys typed into a field, or with Ctrl, Alt or Meta held, are never taken,
 * and none while a modal is open (a Vant dialog, sheet or popup with its
 * overlay): a key under a confirm dialog must not approve an order or move
 * the desk to another one behind the dialog's back.
 */
export interface DeskShortcut {
  /** Stable name, e.g. 'next-order'; registering it again replaces the earlier one. */
  readonly id: string;
  /** `KeyboardEvent.key` values, e.g. ['j', 'ArrowDown']. */
  readonly keys: readonly string[];
  /** What the key does, for the help line; optional. */
  readonly label?: string;
  /** False while it does not apply (nothing to act on). */
  readonly enabled?: () => boolean;
  readonly run: (event: KeyboardEvent) => void;
}

const registry = shallowRef<readonly DeskShortcut[]>([]);
let listening = false;

function isTyping(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Whether a modal covers the page: a Vant overlay that is shown. Every Vant
 * dialog, action sheet and bottom sheet (van-popup) has one; Vant hides a
 * closed one with `display: none` (v-show) and leaves it in the document.
 * Notify and toast have none, so they do not hold the keys.
 */
export function modalOpen(root: Pick<ParentNode, 'querySelectorAll'> = document): boolean {
  for (const overlay of root.querySelectorAll<HTMLElement>('.van-overlay')) if (overlay.style.display !== 'none') return true;
  return false;
}

/**
 * The shortcut `event` triggers, if any: the latest registered of those
 * enabled for its key; none while `modal` (a dialog or sheet is open: its keys are its own).
 */
export function shortcutFor(
  shortcuts: readonly DeskShortcut[],
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'target'>,
  modal = false,
): DeskShortcut | null {
  if (modal || event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) return null;
  for (let i = shortcuts.length - 1; i >= 0; i -= 1) {
    const shortcut = shortcuts[i]!;
    if (shortcut.keys.includes(event.key) && (shortcut.enabled?.() ?? true)) return shortcut;
  }
  return null;
}

function onKeydown(event: KeyboardEvent): void {
  if (event.defaultPrevented) return;
  const shortcut = shortcutFor(registry.value, event, modalOpen());
  if (!shortcut) return;
  event.preventDefault();
  shortcut.run(event);
}

function sync(): void {
  const want = registry.value.length > 0;
  if (want === listening) return;
  listening = want;
  if (want) window.addEventListener('keydown', onKeydown);
  else window.removeEventListener('keydown', onKeydown);
}

export function useDeskShortcuts() {
  const mine = new Set<string>();

  function unregister(id: string): void {
    mine.delete(id);
    registry.value = registry.value.filter((s) => s.id !== id);
    sync();
  }

  function register(shortcut: DeskShortcut): () => void {
    registry.value = [...registry.value.filter((s) => s.id !== shortcut.id), shortcut];
    mine.add(shortcut.id);
    sync();
    return () => unregister(shortcut.id);
  }

  onScopeDispose(() => {
    for (const id of [...mine]) unregister(id);
  });

  return { register, unregister, shortcuts: readonly(registry) };
}
