/**
 * Counted things read right in English — "1 photo", "2 photos", never "1 photos" — and the Chinese, which has
 * no plural, reads as it did; both through the build's precompiled messages and vue-i18n's runtime-only path.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { compile, type MessageCompiler } from '@intlify/core-base';
import { compileMessages } from '#pwa/scripts/precompile-messages.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';
import { unsyncedCounts, type Translate } from '#pwa/src/util/format.ts';

type Tree = { readonly [key: string]: string | Tree };

const runtimeOnly: MessageCompiler = (message, context) => (typeof message === 'string' ? Object.assign(() => message, { locale: context.locale, key: context.key }) : compile(message, context));

function translate(messages: unknown): Translate {
  const i18n = createI18n({ legacy: false, locale: 'x', messages: { x: compileMessages(messages as Tree, 'x') as Tree }, messageCompiler: runtimeOnly, missingWarn: false, fallbackWarn: false });
  return (key, values, plural) => (plural === undefined ? i18n.global.t(key, values ?? {}) : i18n.global.t(key, values ?? {}, plural));
}

/** Every English message of a counted thing, as the app calls it, at one and at two. */
const COUNTED: readonly [key: string, values: (n: number) => Record<string, unknown>, one: string, two: string][] = [
  ['login.tooMany', (n) => ({ minutes: n }), 'Try again in 1 minute', 'Try again in 2 minutes'],
  ['inbox.count', (n) => ({ n }), '1 order', '2 orders'],
  ['card.conflicts', (n) => ({ n }), '1 conflict', '2 conflicts'],
  ['order.refusedTitle', (n) => ({ n }), 'refused 1 change to', 'refused 2 changes to'],
  ['photo.stored', (n) => ({ n }), '1 photo saved', '2 photos saved'],
  ['sync.photosRejected', (n) => ({ n, reason: 'too large' }), 'refused 1 photo: too large. Kept on this phone; export or retry it', 'refused 2 photos: too large. Kept on this phone; export or retry them'],
  ['sync.pendingChanges', (n) => ({ changes: n }), '1 change waiting', '2 changes waiting'],
  ['sync.pendingPhotos', (n) => ({ photos: n }), '1 photo waiting', '2 photos waiting'],
  ['sync.refused', (n) => ({ n }), 'changes to 1 order and', 'changes to 2 orders and'],
  ['me.refusedItem', (n) => ({ orderId: 'A1', n, reason: 'no' }), 'Order A1: 1 change. no', 'Order A1: 2 changes. no'],
  ['me.refusedDiscardConfirm', (n) => ({ n }), 'the 1 change the server refused is deleted', 'the 2 changes the server refused are deleted'],
  ['office.dispatchSuggestPast', (n) => ({ n }), '1 order at this address was handled', '2 orders at this address were handled'],
  ['office.hours', (n) => ({ n }), '1 hour', '2 hours'],
  ['office.timelineRespond', (n) => ({ n }), 'Respond within 1 hour', 'Respond within 2 hours'],
  ['duplicates.hint', (n) => ({ n }), '1 likely duplicate found: check it', '2 likely duplicates found: check them'],
  ['desk.count', (n) => ({ n }), '1 order', '2 orders'],
  ['desk.conflicts', (n) => ({ n }), '1 conflict', '2 conflicts'],
  ['desk.batchDispatchTitle', (n) => ({ n }), 'Dispatch 1 order', 'Dispatch 2 orders'],
  ['desk.batchArchiveConfirm', (n) => ({ n }), 'Archive the 1 selected order?', 'Archive the 2 selected orders?'],
  ['knowledge.count', (n) => ({ n }), '1 entry on this device', '2 entries on this device'],
  ['knowledgeSynonyms.saved', (n) => ({ n }), '1 synonym group saved', '2 synonym groups saved'],
  ['storageLoss.recordCount', (n) => ({ n }), '1 unsynced record', '2 unsynced records'],
];

/** The phrase as whole words: "1 order" is not in "1 orders". */
const wordsOf = (phrase: string) => new RegExp(`(?<![A-Za-z])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z])`);

describe('counted things in English', () => {
  const t = translate(en);

  it.each(COUNTED)('%s: one in the singular, two and none in the plural', (key, values, one, two) => {
    expect(t(key, values(1), 1)).toMatch(wordsOf(one));
    expect(t(key, values(2), 2)).toMatch(wordsOf(two));
    expect(t(key, values(0), 0)).toMatch(wordsOf(two.replace(/\b2\b/, '0')));
  });

  it('joins unsynced changes and photos each in its own number', () => {
    expect(t('sync.pending', unsyncedCounts(1, 1, t))).toBe('1 change and 1 photo waiting');
    expect(t('sync.pending', unsyncedCounts(5, 1, t))).toBe('5 changes and 1 photo waiting');
    expect(t('me.unsyncedCount', unsyncedCounts(1, 3, t))).toBe('1 change, 3 photos');
    expect(t('me.signOutBlocked', unsyncedCounts(1, 0, t))).toMatch(/^1 change and 0 photos are not synced/);
    const wiped = t('storageLoss.wiped', { records: t('storageLoss.recordCount', {}, 1), photos: t('sync.photoCount', {}, 2) });
    expect(wiped).toContain(': 1 unsynced record and 2 photos are lost');
  });
});

describe('the same in Chinese, which has no plural', () => {
  const t = translate(zhCN);

  it('reads as before the English plurals', () => {
    expect(t('sync.pending', unsyncedCounts(3, 2, t))).toBe('3 项更改、2 张照片待同步');
    expect(t('sync.pendingChanges', { changes: 1 }, 1)).toBe('1 项更改待同步');
    expect(t('me.unsyncedCount', unsyncedCounts(1, 1, t))).toBe('1 项更改、1 张照片');
    expect(t('me.signOutBlocked', unsyncedCounts(4, 1, t))).toMatch(/^还有 4 项更改、1 张照片未同步，现在退出会丢失/);
    expect(t('storageLoss.wiped', { records: t('storageLoss.recordCount', {}, 7), photos: t('sync.photoCount', {}, 2) })).toContain('：7 条未同步的记录和 2 张照片已丢失，无法恢复');
    expect(t('inbox.count', {}, 1)).toBe('共 1 条');
    expect(t('desk.batchArchiveConfirm', {}, 2)).toBe('将选中的 2 件工单归档？');
  });
});
