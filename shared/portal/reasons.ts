/**
 * Why the portal engine could not do something, as data: a code from a fixed
 * set and its variables, never display text. The extension's panels put it
 * into the clerk's language (extension/entrypoints/portal.content/reason-text.ts,
 * one message per code in extension/lib/i18n). Variables are what the page or
 * the adapter showed (numbers, labels, selectors, addresses) and other reasons;
 * a reason that crosses from the page's world is a code checked against a
 * fixed set (extension/lib/portal/page-protocol.ts), never the page's words.
 */
import type { Locator, ReplySource } from './adapter.ts';

/** How the page marks a field required (extension/lib/portal/required.ts), or the adapter saying so. */
export type RequiredMarker = 'adapter' | 'required' | 'aria-required' | 'lay-verify' | 'is-required' | 'label-star';

/** What the page-world script may answer when it could not set an editor: a fixed set. */
export const PAGE_ERRORS = ['no_response', 'element_missing', 'no_window', 'no_kindeditor', 'no_ueditor', 'failed'] as const;
export type PageError = (typeof PAGE_ERRORS)[number];

/** Each reason's variables, by code. */
interface ReasonVars {
  // Finding an element (locate.ts, dom.ts)
  frame_selector_invalid: { readonly selector: string };
  frame_missing: { readonly selector: string };
  frame_many: { readonly selector: string; readonly count: number };
  frame_unreachable: { readonly selector: string };
  selector_invalid: object;
  locator_failed: { readonly at: Locator; readonly cause: Reason };
  locator_not_found: { readonly at: Locator };
  locator_no_input: { readonly at: Locator };
  locators_disagree: { readonly found: readonly { readonly at: Locator; readonly elements: readonly string[] }[] };
  no_match: object;
  ambiguous: { readonly elements: readonly string[] };
  // Lists and order pages (read-list.ts)
  list_rows_invalid: object;
  list_empty: object;
  list_columns_missing: { readonly headers: readonly string[] };
  order_page_not_taught: object;
  not_order_link: { readonly url: string };
  order_page_unreadable: object;
  list_not_taught: object;
  // Teach mode (teach.ts, read-list.ts)
  teach_click_content: object;
  teach_no_input: { readonly kind: string };
  teach_frame_unstable: object;
  teach_click_cell: object;
  teach_no_header: object;
  teach_list_unstable: object;
  // Which order a reply page is for (order-guard.ts, fill.ts)
  not_order_no: { readonly text: string };
  confirm_order: { readonly orderNo: string };
  order_no_unreadable: { readonly orderNo: string; readonly cause: Reason };
  other_order: { readonly shown: string; readonly orderNo: string };
  left_reply_page: { readonly orderNo: string; readonly url: string };
  stopped: { readonly cause: Reason; readonly writes: number };
  // Writing a field (fill.ts, choices.ts)
  files_only: object;
  write_failed: object;
  not_input: { readonly tag: string };
  input_readonly: object;
  editor_helper_missing: { readonly editor: string };
  editor_refused: { readonly cause: PageError };
  no_editable: object;
  not_file_input: object;
  photo_not_here: { readonly hash: string };
  upload_unconfirmed: { readonly name: string };
  dropdown_not_open: object;
  dropdown_missing: object;
  dropdown_empty: object;
  option_missing: { readonly wanted: string; readonly tried: readonly string[]; readonly offered: readonly string[] };
  // Reading a field back (fill.ts)
  field_not_found: object;
  required_skipped: { readonly marker: RequiredMarker; readonly skip: Reason; readonly cause: Reason | null };
  kept_shown: { readonly skip: Reason };
  unplanned_required: { readonly marker: RequiredMarker };
  files_unconfirmed: { readonly shown: number; readonly total: number };
  files_twice: { readonly listed: number; readonly total: number; readonly names: readonly string[] };
  files_foreign: { readonly names: readonly string[] };
  date_other: { readonly actual: string; readonly expected: string };
  date_unreadable: { readonly actual: string; readonly format: string; readonly expected: string };
  date_empty: { readonly expected: string };
  checkbox_should_check: object;
  checkbox_should_uncheck: object;
  text_differs: { readonly actual: string; readonly expected: string };
  choice_differs: { readonly actual: string; readonly expected: string };
  choice_none: { readonly expected: string };
  layui_differs: { readonly selected: string; readonly shown: string; readonly expected: string };
  editor_differs: object;
  no_photos: object;
  upload_list_missing: { readonly selector: string };
  // What an order page or a list row says that cannot be understood (order-record.ts): the record keeps a fallback
  record_missing: object;
  record_not_order_no: { readonly value: string };
  record_time_format: { readonly value: string; readonly format: string };
  record_word_unknown: { readonly field: 'type' | 'channel'; readonly value: string; readonly fallback: string };
  record_other_order: { readonly listed: string; readonly shown: string };
  // Nothing to write (shared/portal/reply-plan.ts)
  resolved_no_reason: object;
  not_in_result: { readonly source: ReplySource };
  not_in_result_unreachable: { readonly source: ReplySource };
  not_in_result_not_contacted: { readonly source: ReplySource };
}

export type ReasonCode = keyof ReasonVars;

/** One reason: `{ code, …its variables }`. */
export type Reason = { [C in ReasonCode]: { readonly code: C } & ReasonVars[C] }[ReasonCode];

/** The reason with code `C`. */
export type ReasonOf<C extends ReasonCode> = Extract<Reason, { code: C }>;
