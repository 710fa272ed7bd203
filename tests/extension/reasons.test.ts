/**
 * The portal engine says why as a code (shared/portal/reasons.ts), the panel
 * in the clerk's language (reason-text.ts): every code has its message in
 * Chinese and English, the English never falls back to Chinese, nested
 * reasons and locators come out in the same language, and no engine module
 * returns Chinese display text (an English panel showed “✗ 页面上没有符合的地方”,
 * review of 2026-12-07).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Reason } from '#shared/portal/reasons.ts';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { listRecord, toOrderRecord, type RecordProblem } from '#shared/portal/order-record.ts';
import { REASON_CODES, locatorText, reasonText } from '#extension/entrypoints/portal.content/reason-text.ts';
import { en } from '#extension/lib/i18n/en.ts';
import { formatMessage } from '#extension/lib/i18n/translate.ts';
import { zhCN, type MessageKey } from '#extension/lib/i18n/zh-CN.ts';

// The messages given directly: loading English into the shared table would change what i18n.test.ts sees.
const say = (locale: 'zh-CN' | 'en') => (key: MessageKey, vars?: Record<string, string | number>) => formatMessage(locale === 'en' ? en : zhCN, key, vars);
const inEnglish = (reason: Reason) => reasonText(reason, say('en'), 'en');
const inChinese = (reason: Reason) => reasonText(reason, say('zh-CN'), 'zh-CN');

/** Chinese characters, outside the quotes a message puts around what the page or the portal shows. */
const CJK = /[\u3400-\u9fff]/;
const unquoted = (text: string) => text.replace(/“[^”]*”/g, '');

describe('engine reasons', () => {
  it('has a message for every code in Chinese and in English, and the English one has no Chinese', () => {
    expect(REASON_CODES.length).toBeGreaterThan(60);
    for (const code of REASON_CODES) {
      const key = `reason.${code}` as MessageKey;
      expect(zhCN[key], code).toBeTruthy();
      expect(en[key], code).toBeTruthy();
      expect(en[key], code).not.toBe(zhCN[key]);
      expect(CJK.test(unquoted(en[key])), `${code}: ${en[key]}`).toBe(false);
    }
    for (const key of Object.keys(en).filter((k) => /^(reason|locator|marker|pageError|sep)\./.test(k))) {
      expect(CJK.test(unquoted(en[key as MessageKey])), key).toBe(false);
    }
  });

  it('says a field not found in the clerk’s language, the Chinese wording unchanged', () => {
    expect(inChinese({ code: 'no_match' })).toBe('页面上没有符合的地方');
    expect(inEnglish({ code: 'no_match' })).toBe('Nothing on the page fits');
    const notFound: Reason = { code: 'locator_no_input', at: { by: 'label', text: '联系时间', frame: ['#main'] } };
    expect(inChinese(notFound)).toBe('名称“联系时间”（内嵌页面 #main） 在页面上找不到可填写的输入项（门户页面可能改版了，请告诉管理员）');
    expect(inEnglish(notFound)).toBe('No input to fill at the label “联系时间” (in the embedded page #main) on the page (the portal may have changed: tell your administrator)');
  });

  it('words nested reasons, the required marker and the close result’s part in the same language', () => {
    const reason: Reason = { code: 'required_skipped', marker: 'aria-required', skip: { code: 'not_in_result_unreachable', source: 'contactTime' }, cause: null };
    expect(inChinese(reason)).toBe('页面标为必填（aria-required），但无法联系群众，办结结果中没有联系时间：请补充后再提交');
    expect(inEnglish(reason)).toBe('The page marks it required (aria-required), but the citizen could not be reached; the close result has no When contacted: complete it before submitting');
    const stopped: Reason = { code: 'stopped', writes: 2, cause: { code: 'other_order', shown: 'A1234', orderNo: 'B5678' } };
    expect(inChinese(stopped)).toBe('这是工单 A1234 的回复页，要回填的却是工单 B5678 的办理结果：工单不一致。已停止填写：停止前写入了 2 项，请在门户中核对。');
    expect(inEnglish(stopped)).toMatch(/^This is the reply form of order A1234, .* order B5678’s: the orders do not match\. Filling stopped after writing 2 fields/);
    expect(inEnglish({ ...stopped, writes: 0 })).toMatch(/Nothing was written\.$/);
    expect(inEnglish({ code: 'option_missing', wanted: '是', tried: ['已联系'], offered: [] })).toBe('No option “是” (also tried: 已联系); the page offers: nothing');
  });

  it('never shows the page world’s own words: its error is one of a fixed set', async () => {
    const { pageError } = await import('#extension/lib/portal/page-protocol.ts');
    expect(pageError('no_response')).toBe('no_response');
    expect(pageError('<img src=x onerror=alert(1)> 请把工单转给 X')).toBe('failed');
    expect(pageError(undefined)).toBe('failed');
    expect(inEnglish({ code: 'editor_refused', cause: pageError('no_ueditor') })).toBe('The editor did not take the text: there is no UEditor here');
  });

  it('words locators (teach mode lists them) in both languages', () => {
    expect(locatorText({ by: 'css', selector: '#a' }, say('zh-CN'))).toBe('页面位置 #a');
    expect(locatorText({ by: 'css', selector: '#a' }, say('en'))).toBe('the page position #a');
  });

  it('words the portal record’s problems (order-record.ts) in the clerk’s language: English in English, Chinese in Chinese', () => {
    const adapter: PortalAdapter = { version: 1, id: 't', name: 't', order: { page: { urls: ['*'], check: { selector: 'body' } }, fields: [] } };
    const { problems } = toOrderRecord(adapter, { orderNo: '12', receivedAt: '2025/09/12', type: '求表扬', content: 'x' });
    const other = listRecord(adapter, { orderNo: '2612' }, { orderNo: '2613', content: 'x', address: 'y' }).problems;
    const field = (all: readonly RecordProblem[], key: string, nth = 0) => all.filter((p) => p.field === key)[nth]!.reason;
    const words = (reason: Reason) => [inChinese(reason), inEnglish(reason)];
    expect(words(field(problems, 'receivedAt'))).toEqual(['“2025/09/12” 不符合格式 yyyy-MM-dd HH:mm:ss', '“2025/09/12” does not fit the format yyyy-MM-dd HH:mm:ss']);
    expect(words(field(problems, 'type'))).toEqual(['未知的诉求类型“求表扬”，按“其他”处理', 'unknown value “求表扬”, taken as “Other”']);
    expect(words(field(problems, 'orderNo'))).toEqual(['“12” 不是工单编号', '“12” is not an order number']);
    expect(words(field(problems, 'address'))).toEqual(['缺少', 'missing']);
    // The one that was Chinese in every language: a list row whose order page shows another number.
    expect(words(field(other, 'orderNo'))).toEqual(['列表中是 2612，打开的工单页面是 2613', 'the list says 2612 but the order page opened says 2613']);
    for (const problem of [...problems, ...other]) expect(CJK.test(unquoted(inEnglish(problem.reason))), problem.reason.code).toBe(false);
  });

  it('no engine module returns Chinese display text: extension/lib/portal has none outside comments, reply-plan none in a reason', () => {
    const dir = fileURLToPath(new URL('../../extension/lib/portal/', import.meta.url));
    const offending: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const [i, line] of readFileSync(dir + file, 'utf8').split('\n').entries()) {
        const code = line.replace(/\/\/.*$/, '');
        if (/^\s*(\*|\/\*)/.test(line)) continue;
        if (CJK.test(code)) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      }
    }
    // The portal record: its problems are reason codes; no string in it is shown to anyone (no CJK, no message).
    const record = readFileSync(fileURLToPath(new URL('../../shared/portal/order-record.ts', import.meta.url)), 'utf8');
    for (const [i, line] of record.split('\n').entries()) {
      if (/^\s*(\*|\/\*)/.test(line)) continue;
      const code = line.replace(/\/\/.*$/, '');
      if (CJK.test(code) || /\bmessage\b/.test(code)) offending.push(`order-record.ts:${i + 1}: ${line.trim()}`);
    }
    const plan = readFileSync(fileURLToPath(new URL('../../shared/portal/reply-plan.ts', import.meta.url)), 'utf8');
    for (const [i, line] of plan.split('\n').entries()) if (/reason/.test(line) && CJK.test(line.replace(/\/\/.*$/, ''))) offending.push(`reply-plan.ts:${i + 1}: ${line.trim()}`);
    expect(offending).toEqual([]);
  });
});
