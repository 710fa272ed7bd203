import { describe, expect, it } from 'vitest';
import { ActionRefused } from '#shared/client/repository.ts';
import { actionFailureText, notSavedText } from '#pwa/src/util/action-failure.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';

const t = (key: string, values?: Record<string, unknown>) => (values ? `${key} ${JSON.stringify(values)}` : key);

describe('an action not saved', () => {
  it('says in the app’s words that nobody is signed in or the device has no clock, not the repository’s English', () => {
    expect(actionFailureText(new ActionRefused([{ field: '', message: 'not signed in' }], 'signed_out'), t)).toBe('actions.signedOut');
    expect(actionFailureText(new ActionRefused([{ field: '', message: 'this device has no clock yet: sign in again' }], 'no_clock'), t)).toBe('actions.noClock');
    for (const messages of [zhCN, en]) for (const key of ['signedOut', 'noClock'] as const) expect((messages.actions as Record<string, string>)[key]?.trim()).toBeTruthy();
  });

  it('gives an invalid event’s fields as the validation words them, and a full phone as such', () => {
    expect(actionFailureText(new ActionRefused([{ field: 'payload.reason', message: 'is required' }]), t)).toBe('payload.reason: is required');
    expect(actionFailureText(new DOMException('full', 'QuotaExceededError'), t)).toBe('actions.quota');
  });

  it('puts anything but a full phone after 保存失败，未记录, and a full phone as it is', () => {
    expect(notSavedText(new ActionRefused([{ field: '', message: 'x' }], 'no_clock'), t)).toBe('actions.saveFailed {"message":"actions.noClock"}');
    expect(notSavedText(new DOMException('full', 'QuotaExceededError'), t)).toBe('actions.quota');
  });
});
