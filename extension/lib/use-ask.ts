/**
 * A request to the background as reactive state for a Vue component: the
 * value, whether it is running, and the error message to show. Nothing here
 * renders HTML; callers bind the strings as text.
 */
import { ref, type Ref } from 'vue';
import type { Translate } from './i18n/core.ts';
import type { MessageKey } from './i18n/zh-CN.ts';
import { zhCN } from './i18n/zh-CN.ts';
import { RequestError, type ErrorParams } from './messaging.ts';

interface CodedError {
  readonly code: string;
  readonly message: string;
  readonly field?: string | null;
  readonly params?: ErrorParams;
}

/** An error in the user's language when its code is a known one (filled from its params); its own words otherwise. */
export function wordedError(error: CodedError, t: Translate): string {
  // A payload the protocol refused names its field: `error.invalid_<field>` where the pages word one.
  const keys = [...(error.code === 'invalid' && error.field ? [`error.invalid_${error.field}`] : []), `error.${error.code}`];
  const key = keys.find((k) => Object.hasOwn(zhCN, k));
  return key ? t(key as MessageKey, { ...error.params }) : error.message;
}

/** A refusal from the background, worded as `wordedError` does; anything else by its message. */
export function messageOf(caught: unknown, t: Translate): string {
  if (caught instanceof RequestError) return wordedError(caught, t);
  return caught instanceof Error ? caught.message : String(caught);
}

export interface Running<A extends unknown[], T> {
  readonly busy: Ref<boolean>;
  readonly error: Ref<string | null>;
  readonly errorCode: Ref<string | null>;
  run(...args: A): Promise<T | undefined>;
}

/** `t`: the caller's translator (the panel's and the extension pages' i18n differ in what they load). */
export function useRunning<A extends unknown[], T>(t: Translate, task: (...args: A) => Promise<T>): Running<A, T> {
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
