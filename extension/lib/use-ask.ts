/**
 * A request to the background as reactive state for a Vue component: the
 * value, whether it is running, and the error message to show. Nothing here
 * renders HTML; callers bind the strings as text.
 */
import { ref, type Ref } from 'vue';
import { useI18n, type MessageKey } from './i18n/index.ts';
import { zhCN } from './i18n/zh-CN.ts';
import { RequestError } from './messaging.ts';

/** A refusal in the user's language when its code is a known one; the background's own words otherwise. */
function messageOf(caught: unknown, t: (key: MessageKey) => string): string {
  if (caught instanceof RequestError) {
    const key = `error.${caught.code}`;
    if (Object.hasOwn(zhCN, key)) return t(key as MessageKey);
  }
  return caught instanceof Error ? caught.message : String(caught);
}

export interface Running<A extends unknown[], T> {
  readonly busy: Ref<boolean>;
  readonly error: Ref<string | null>;
  readonly errorCode: Ref<string | null>;
  run(...args: A): Promise<T | undefined>;
}

export function useRunning<A extends unknown[], T>(task: (...args: A) => Promise<T>): Running<A, T> {
  const { t } = useI18n();
  const busy = ref(false);
  const error = ref<string | null>(null);
  const errorCode = ref<string | null>(null);
  return {
    busy,
    error,
    errorCode,
    async run(...args: A) {
      busy.value = true;
      error.value = null;
      errorCode.value = null;
      try {
        return await task(...args);
      } catch (caught) {
        error.value = messageOf(caught, t);
        errorCode.value = caught instanceof RequestError ? caught.code : 'failed';
        return undefined;
      } finally {
        busy.value = false;
      }
    },
  };
}
