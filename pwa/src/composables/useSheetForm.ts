import { computed, ref } from 'vue';
import type { EventDraft } from '#shared/order/events.ts';
import { useDirtyForm } from './useDirtyForms.ts';

/** Saves an order's event; resolves true once it is recorded on this device (the sheet then closes). */
export type SaveDraft = (draft: EventDraft) => Promise<boolean>;

/**
 * What a form sheet (and 事件上报, a form page) does around its own fields:
 * from the first submit on it shows its errors (`tried`), it saves only a
 * complete value, one save at a time (`busy`), and while `dirty` it holds
 * unsent input that an app update must wait for.
 */
export function useSheetForm<T>(options: {
  /** Called on submit: the value to save, or null while the form is incomplete (its errors say why). */
  readonly check: () => T | null;
  /** Resolves true once saved; on false the input stays, to be sent again. */
  readonly save: (value: T) => Promise<boolean>;
  readonly dirty?: () => boolean;
  readonly saved?: () => void;
}) {
  const tried = ref(false);
  const busy = ref(false);
  if (options.dirty) useDirtyForm(computed(options.dirty));

  async function submit(): Promise<void> {
    tried.value = true;
    if (busy.value) return;
    const value = options.check();
    if (value === null) return;
    busy.value = true;
    try {
      if (!(await options.save(value))) return;
      tried.value = false;
      options.saved?.();
    } finally {
      busy.value = false;
    }
  }

  return { tried, busy, submit };
}
