/**
 * The portal engine's reasons (shared/portal/reasons.ts) in the clerk's
 * language: each code's message `reason.<code>` (extension/lib/i18n, a code
 * without a message in both languages fails the type check), its variables
 * filled in — other reasons, locators and the close result's parts said in
 * the same language. Pure: the translator is passed in.
 */
import type { Locator } from '#shared/portal/adapter.ts';
import type { Reason, ReasonCode, ReasonOf } from '#shared/portal/reasons.ts';
import type { Translate } from '../../lib/i18n/core.ts';
import type { MessageKey } from '../../lib/i18n/zh-CN.ts';
import type { Locale } from '../../lib/settings.ts';
import { orderFieldLabel, orderValueLabel, replySourceLabel } from './field-labels.ts';

export type { Translate };
type Vars = Record<string, string | number>;

interface Say {
  readonly t: Translate;
  readonly locale: Locale;
  reason(reason: Reason): string;
  list(items: readonly string[]): string;
}

/** Each code's variables as text; a code missing here fails the type check. */
const VARS: { readonly [C in ReasonCode]: (reason: ReasonOf<C>, say: Say) => Vars } = {
  frame_selector_invalid: (r) => ({ selector: r.selector }),
  frame_missing: (r) => ({ selector: r.selector }),
  frame_many: (r) => ({ selector: r.selector, count: r.count }),
  frame_unreachable: (r) => ({ selector: r.selector }),
  selector_invalid: () => ({}),
  locator_failed: (r, say) => ({ at: locatorText(r.at, say.t), cause: say.reason(r.cause) }),
  locator_not_found: (r, say) => ({ at: locatorText(r.at, say.t) }),
  locator_no_input: (r, say) => ({ at: locatorText(r.at, say.t) }),
  locators_disagree: (r, say) => ({ found: r.found.map((f) => `${locatorText(f.at, say.t)} → ${say.list(f.elements)}`).join(say.t('sep.clause')) }),
  no_match: () => ({}),
  ambiguous: (r, say) => ({ n: r.elements.length, elements: say.list(r.elements) }),
  list_rows_invalid: () => ({}),
  list_empty: () => ({}),
  list_columns_missing: (r, say) => ({ headers: say.list(r.headers.map((h) => `“${h}”`)) }),
  order_page_not_taught: () => ({}),
  not_order_link: (r) => ({ url: r.url }),
  order_page_unreadable: () => ({}),
  list_not_taught: () => ({}),
  teach_click_content: () => ({}),
  teach_no_input: (r) => ({ kind: r.kind }),
  teach_frame_unstable: () => ({}),
  teach_click_cell: () => ({}),
  teach_no_header: () => ({}),
  teach_list_unstable: () => ({}),
  not_order_no: (r) => ({ text: r.text }),
  confirm_order: (r) => ({ orderNo: r.orderNo }),
  order_no_unreadable: (r, say) => ({ orderNo: r.orderNo, cause: say.reason(r.cause) }),
  other_order: (r) => ({ shown: r.shown, orderNo: r.orderNo }),
  left_reply_page: (r) => ({ orderNo: r.orderNo, url: r.url }),
  stopped: (r, say) => ({ cause: say.reason(r.cause), n: r.writes }),
  files_only: () => ({}),
  write_failed: () => ({}),
  not_input: (r) => ({ tag: r.tag }),
  input_readonly: () => ({}),
  editor_helper_missing: (r) => ({ editor: r.editor }),
  editor_refused: (r, say) => ({ cause: say.t(`pageError.${r.cause}`) }),
  no_editable: () => ({}),
  not_file_input: () => ({}),
  photo_not_here: (r) => ({ hash: r.hash }),
  upload_unconfirmed: (r) => ({ name: r.name }),
  dropdown_not_open: () => ({}),
  dropdown_missing: () => ({}),
  dropdown_empty: () => ({}),
  option_missing: (r, say) => ({
    wanted: r.wanted,
    tried: r.tried.length ? say.t('reason.option_tried', { words: say.list(r.tried) }) : '',
    offered: r.offered.length ? say.list(r.offered) : say.t('reason.option_none'),
  }),
  field_not_found: () => ({}),
  required_skipped: (r, say) => ({ marker: say.t(`marker.${r.marker}`), skip: say.reason(r.skip), ...(r.cause ? { cause: say.reason(r.cause) } : {}) }),
  kept_shown: (r, say) => ({ skip: say.reason(r.skip) }),
  unplanned_required: (r, say) => ({ marker: say.t(`marker.${r.marker}`) }),
  files_unconfirmed: (r) => ({ shown: r.shown, total: r.total }),
  files_twice: (r, say) => ({ listed: r.listed, total: r.total, names: say.list(r.names) }),
  files_foreign: (r, say) => ({ names: say.list(r.names) }),
  date_other: (r) => ({ actual: r.actual, expected: r.expected }),
  date_unreadable: (r) => ({ actual: r.actual, format: r.format, expected: r.expected }),
  date_empty: (r) => ({ expected: r.expected }),
  checkbox_should_check: () => ({}),
  checkbox_should_uncheck: () => ({}),
  text_differs: (r) => ({ actual: r.actual, expected: r.expected }),
  choice_differs: (r) => ({ actual: r.actual, expected: r.expected }),
  choice_none: (r) => ({ expected: r.expected }),
  layui_differs: (r) => ({ selected: r.selected, shown: r.shown, expected: r.expected }),
  editor_differs: () => ({}),
  no_photos: () => ({}),
  upload_list_missing: (r) => ({ selector: r.selector }),
  record_missing: () => ({}),
  record_not_order_no: (r) => ({ value: r.value }),
  record_time_format: (r) => ({ value: r.value, format: r.format }),
  record_word_unknown: (r, say) => ({ field: orderFieldLabel(r.field, say.t), value: r.value, fallback: orderValueLabel(r.field, r.fallback, say.t) }),
  record_other_order: (r) => ({ listed: r.listed, shown: r.shown }),
  resolved_no_reason: () => ({}),
  not_in_result: (r, say) => ({ source: replySourceLabel(r.source, say.t) }),
  not_in_result_unreachable: (r, say) => ({ source: replySourceLabel(r.source, say.t) }),
  not_in_result_not_contacted: (r, say) => ({ source: replySourceLabel(r.source, say.t) }),
};

/** Every code the engine can return (the keys of the table above), for the tests. */
export const REASON_CODES = Object.keys(VARS) as ReasonCode[];

/** A code whose message depends on a variable being there: the other message's key. */
function messageKey(reason: Reason): MessageKey {
  if (reason.code === 'stopped' && reason.writes === 0) return 'reason.stopped_none';
  if (reason.code === 'required_skipped' && reason.cause) return 'reason.required_skipped_missing';
  return `reason.${reason.code}`;
}

/** `reason` as the clerk reads it, in `locale` (whose messages `t` gives). */
export function reasonText(reason: Reason, t: Translate, locale: Locale): string {
  const say: Say = {
    t,
    locale,
    reason: (inner) => reasonText(inner, t, locale),
    list: (items) => items.join(t('sep.list')),
  };
  const vars = (VARS[reason.code] as (r: Reason, s: Say) => Vars)(reason, say);
  return t(messageKey(reason), vars);
}

/** A locator as the admin and the clerk read it: what it looks for, and in which embedded page. */
export function locatorText(locator: Locator, t: Translate): string {
  const frame = locator.frame?.length ? t('locator.frame', { path: locator.frame.join(' › ') }) : '';
  switch (locator.by) {
    case 'label':
      return t('locator.label', { text: locator.text, frame });
    case 'name':
      return t('locator.name', { value: locator.value, frame });
    case 'placeholder':
      return t('locator.placeholder', { value: locator.value, frame });
    case 'aria':
      return t('locator.aria', { value: locator.value, frame });
    case 'css':
      return t('locator.css', { selector: locator.selector, frame });
  }
}
