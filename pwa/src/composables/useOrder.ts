import { computed, onScopeDispose, reactive, ref, shallowRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { closeToast, showConfirmDialog, showLoadingToast, showNotify, showSuccessToast } from 'vant';
import { availableActions } from '#shared/order/actions.ts';
import type { EventDraft, EventType, PhotoKind, PhotoStage } from '#shared/order/events.ts';
import * as data from '../data/index.ts';
import type { OpenOrder, OrderSnapshot } from '../data/index.ts';
import { actionFailureText, notSavedText } from '../util/action-failure.ts';
import type { PhotoBatch } from './usePhotoCapture.ts';
import { useSession } from './useSession.ts';

/**
 * One order for the detail screen: its live snapshot, the actions offered to
 * this user (exactly what the reducer would apply), and writing actions.
 * An action is reported saved only after the data layer's durable write.
 */
export function useOrder(id: Ref<string>) {
  const { t } = useI18n();
  const { user, session } = useSession();
  const snapshot = shallowRef<OrderSnapshot | null>(null);
  const loaded = ref(false);
  let handle: OpenOrder | null = null;
  let unsubscribe: () => void = () => undefined;

  function close(): void {
    unsubscribe();
    handle?.release();
    handle = null;
  }

  /** Why the order could not be opened (its code not loaded, the device's storage refusing): shown with a retry. */
  const failure = ref<string | null>(null);
  const attempt = ref(0);
  let opening = 0;

  watch(
    [id, attempt],
    async ([orderId]) => {
      const run = ++opening;
      close();
      loaded.value = false;
      failure.value = null;
      snapshot.value = null;
      let opened: OpenOrder;
      try {
        opened = await data.repository.openOrder(orderId);
      } catch (error) {
        if (run === opening) failure.value = actionFailureText(error, t);
        return;
      }
      if (run !== opening) {
        opened.release();
        return;
      }
      handle = opened;
      snapshot.value = opened.current();
      unsubscribe = opened.subscribe((next) => (snapshot.value = next));
      loaded.value = true;
    },
    { immediate: true },
  );
  onScopeDispose(close);

  const state = computed(() => (snapshot.value ? 'ready' : loaded.value ? 'missing' : failure.value !== null ? 'failed' : 'loading'));
  /** Open the order again after a failure. */
  const retry = () => void attempt.value++;
  const actions = computed<EventType[]>(() => (snapshot.value && user.value ? availableActions(snapshot.value.view, user.value) : []));

  async function act(draft: EventDraft, options: { confirm?: string; quiet?: boolean } = {}): Promise<boolean> {
    if (!handle) return false;
    if (options.confirm) {
      const confirmed = await showConfirmDialog({ message: options.confirm }).then(
        () => true,
        () => false,
      );
      if (!confirmed) return false;
    }
    if (!actions.value.includes(draft.type)) {
      showNotify({ type: 'warning', message: t('actions.notAllowed') });
      return false;
    }
    if (!options.quiet) showLoadingToast({ message: t('actions.saving'), forbidClick: true, duration: 0 });
    try {
      await data.repository.act(handle, draft);
      if (!options.quiet) showSuccessToast({ message: t('actions.saved'), duration: 1200 });
      return true;
    } catch (error) {
      closeToast();
      showNotify({ type: 'danger', message: notSavedText(error, t), duration: 5000 });
      return false;
    }
  }

  /** Records the reveal before the number is shown. */
  const revealPhone = () => act({ type: 'phone_reveal', payload: {} }, { quiet: true });

  // Object URLs of photos: from this device's store, else from the server (via the service worker's photo cache).
  const urls = reactive(new Map<string, { thumb: string; full: string } | 'loading' | 'missing'>());
  function photoUrl(sha256: string, thumb: boolean): string | null {
    const entry = urls.get(sha256);
    if (entry === undefined) {
      urls.set(sha256, 'loading');
      void loadPhoto(sha256);
      return null;
    }
    if (typeof entry === 'string') return null;
    return thumb ? entry.thumb : entry.full;
  }
  async function loadPhoto(sha256: string): Promise<void> {
    const local = await data.repository.getPhoto(sha256);
    if (local) {
      urls.set(sha256, { thumb: URL.createObjectURL(local.thumb), full: URL.createObjectURL(local.blob) });
      return;
    }
    const s = session.value;
    if (!s || s.demo) {
      urls.set(sha256, 'missing');
      return;
    }
    try {
      const url = URL.createObjectURL(await data.fetchPhoto(sha256));
      urls.set(sha256, { thumb: url, full: url });
    } catch {
      urls.delete(sha256); // try again on the next render
    }
  }
  onScopeDispose(() => {
    const made = new Set<string>();
    for (const entry of urls.values()) {
      if (typeof entry === 'string') continue;
      made.add(entry.thumb);
      made.add(entry.full);
    }
    for (const url of made) URL.revokeObjectURL(url);
  });

  /** Photos of `kind` for this order, as loaded now (for usePhotoCapture). */
  function photoBatch(kind: PhotoKind, stage?: PhotoStage): PhotoBatch | null {
    const order = handle;
    const snap = snapshot.value;
    if (!order || !snap) return null;
    return {
      address: snap.intake.address,
      orderNo: snap.intake.orderNo,
      async store(photo, taken) {
        // The same picture twice (picked again from the gallery): already on the order.
        if (snapshot.value?.view.photos.some((p) => p.sha256 === photo.sha256)) return;
        await data.repository.addPhoto(order, photo, { kind, ...(stage ? { stage } : {}), ...taken });
      },
    };
  }

  return { snapshot, state, failure, retry, actions, act, revealPhone, photoUrl, photoBatch };
}
