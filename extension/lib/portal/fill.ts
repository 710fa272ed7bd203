/**
 * Filling a portal's reply form from a plan (shared/portal/reply-plan.ts):
 * first make sure the page is the reply form of the plan's order
 * (order-guard.ts), then find each field, write it the way its UI library
 * listens, attach photos as real files through the portal's own upload widget
 * (only those it does not list yet), then read every field back and report ✓
 * or ✗ with the reason. It never submits the form. The page is checked again
 * before every field: one that moves on to another order stops the fill.
 */
import type { ReplyField, Widget } from '#shared/portal/adapter.ts';
import { compareShownDate } from '#shared/portal/dates.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { describePlanned, type PlannedField, type PlannedValue, type ReplyPlan } from '#shared/portal/reply-plan.ts';
import { sameText, textToParagraphHtml } from '#shared/portal/richtext.ts';
import { normalizeText } from '#shared/portal/vocabulary.ts';
import {
  FillError,
  checkedTexts,
  chooseElementSelect,
  chooseInGroup,
  chooseLayuiSelect,
  chooseNative,
  elementSelectText,
  layuiSelectText,
  loneCheckbox,
  matchesAny,
  setLoneCheckbox,
} from './choices.ts';
import { afterRender, fire, fireKey, isTag, plainText, sleep, visibleText, waitFor } from './dom.ts';
import { locate } from './locate.ts';
import { checkReplyOrder, replyOrderWatch, type ConfirmedOrder, type OrderCheck } from './order-guard.ts';
import { requiredMarker } from './required.ts';
import { unplannedRequired } from './unplanned.ts';
import type { PageBridge } from './page-bridge.ts';
import { randomToken } from './page-bridge.ts';
import { TARGET_ATTRIBUTE, pageError } from './page-protocol.ts';

export interface FillOptions {
  /** Photo bytes by SHA-256; each planned photo must be here. */
  readonly photos: ReadonlyMap<string, Blob>;
  /** For KindEditor and UEditor: the page-world bridge. Without it those fields fail with a reason. */
  readonly bridge?: PageBridge;
  /** How long to wait for the portal to confirm the uploads (default 20 s). */
  readonly uploadTimeoutMs?: number;
  /** Where the reply page shows no order number: the clerk's confirmation of this order on this page. */
  readonly confirmedOrder?: ConfirmedOrder;
}

export type FieldStatus = 'ok' | 'failed' | 'skipped';

export interface FieldReport {
  readonly key: string;
  readonly label: string;
  readonly status: FieldStatus;
  /** What was to be written, as a person reads it. */
  readonly expected: string;
  /** What the page shows after filling. */
  readonly actual: string;
  /** Why it failed, or why nothing was written (a code: the panel says it in the clerk's language). */
  readonly reason?: Reason;
  /** The portal requires this field: the adapter says so, or the page marks it (required.ts). */
  readonly required: boolean;
}

export interface FillReport {
  /** True when the page is the plan's order's and no field failed. */
  readonly ok: boolean;
  /**
   * Why nothing (more) was written: the page is another order's reply form,
   * shows no number the clerk confirmed, or moved on while filling. Then
   * `fields` is empty: there is nothing of this order to read back.
   */
  readonly refused?: Reason;
  readonly fields: readonly FieldReport[];
}

/** How long the read-back waits for a field the page has not re-rendered yet to show what was written. */
const SETTLE_LIMIT_MS = 500;

interface Written {
  readonly planned: PlannedField;
  readonly element: Element | null;
  readonly error?: Reason;
}

/** The page is still the plan's order's reply form, at the address the fill started on. */
function stillThere(top: Document, plan: ReplyPlan, url: string, order: () => OrderCheck): OrderCheck {
  if (top.URL !== url) return { ok: false, shown: null, needsConfirmation: false, reason: { code: 'left_reply_page', orderNo: plan.orderNo, url: top.URL } };
  return order();
}

/**
 * User Timing marks (performance.mark) of a fill: the engine's two entry
 * points (`fillStart`/`fillEnd`, `checkStart`/`checkEnd`), and the panel's
 * 填入 click and the report shown (`click`, `shown`, and the `measure` between
 * them: the clerk's wait). The portal-fill bench reads them in the page
 * instead of timing CDP round trips.
 */
export const FILL_MARKS = {
  click: 'lianxin:fill:click',
  fillStart: 'lianxin:fill:start',
  fillEnd: 'lianxin:fill:end',
  checkStart: 'lianxin:check:start',
  checkEnd: 'lianxin:check:end',
  shown: 'lianxin:fill:shown',
  measure: 'lianxin:fill',
} as const;

export async function fillReply(top: Document, plan: ReplyPlan, options: FillOptions): Promise<FillReport> {
  performance.mark(FILL_MARKS.fillStart);
  try {
    return await fillReplyMarked(top, plan, options);
  } finally {
    performance.mark(FILL_MARKS.fillEnd);
  }
}

async function fillReplyMarked(top: Document, plan: ReplyPlan, options: FillOptions): Promise<FillReport> {
  const url = top.URL;
  const order = replyOrderWatch(top, plan, options.confirmedOrder);
  const before = order();
  if (!before.ok) return stopped(before.reason, 0);
  const written: Written[] = [];
  let writes = 0;
  for (const planned of plan.fields) {
    const here = stillThere(top, plan, url, order);
    if (!here.ok) return stopped(here.reason, writes);
    const found = locate(top, planned.field.locators, planned.field.widget.kind);
    if (!found.ok) {
      written.push({ planned, element: null, error: found.reason });
      continue;
    }
    // Nothing to write: found anyway, to see whether the portal requires it.
    if (planned.value.type === 'skip') {
      written.push({ planned, element: found.element });
      continue;
    }
    writes += 1;
    try {
      await writeField(found.element, planned.field, planned.value, options);
      written.push({ planned, element: found.element });
    } catch (error) {
      // Anything else thrown (the page's own script failing in a handler, say) has no words for the clerk: its message goes to the console.
      if (!(error instanceof FillError)) console.warn('Lianxin: writing a field failed', error);
      written.push({ planned, element: found.element, error: error instanceof FillError ? error.reason : { code: 'write_failed' } });
    }
  }
  const fields = [...(await settledReports(written, options)), ...unplannedReports(written.map((w) => w.element))];
  // The read-back waited for uploads: it was about this order's form only if the page is still there.
  const after = stillThere(top, plan, url, () => checkReplyOrder(top, plan, options.confirmedOrder));
  if (!after.ok) return stopped(after.reason, writes);
  return { ok: fields.every((f) => f.status !== 'failed'), fields };
}

/**
 * The form's required fields the rules do not know, each ✗ (unplanned.ts): the clerk fills them by hand.
 * Not looked for while a planned field was not found on the page: that field is ✗ with its reason already,
 * and the required field the search would find is most likely the same one (its label renamed, say).
 */
function unplannedReports(elements: readonly (Element | null)[]): FieldReport[] {
  if (elements.some((el) => el === null)) return [];
  return unplannedRequired(elements.filter((el): el is Element => el !== null)).map((field, i) => ({
    key: `${UNPLANNED_KEY}${i}`,
    label: field.label,
    status: 'failed' as const,
    expected: '',
    actual: '',
    required: true,
    reason: { code: 'unplanned_required', marker: field.marker },
  }));
}

/** The key prefix of a report on a required field the rules do not know (never an adapter field's key: those are checked by the schema). */
export const UNPLANNED_KEY = 'unplanned:';

/**
 * Every field read back after the page's next render; those that do not show
 * what was written yet (a framework still re-rendering) are read again after
 * each render until they do or SETTLE_LIMIT_MS has passed. A field is ✓ only
 * when the page shows the planned value: waiting longer never makes one pass
 * that would not. Uploads wait in their own check (filesCheck), so they are
 * not read again here.
 */
async function settledReports(written: readonly Written[], options: FillOptions): Promise<FieldReport[]> {
  await afterRender();
  const fields: FieldReport[] = [];
  for (const w of written) fields.push(await report(w, options));
  const again = (i: number) => {
    const w = written[i];
    return fields[i]?.status === 'failed' && w !== undefined && w.element !== null && w.error === undefined && w.planned.field.widget.kind !== 'file';
  };
  for (const deadline = Date.now() + SETTLE_LIMIT_MS; fields.some((_, i) => again(i)) && Date.now() < deadline; ) {
    await afterRender();
    for (const [i, w] of written.entries()) if (again(i)) fields[i] = await report(w, options);
  }
  return fields;
}

function stopped(reason: Reason, writes: number): FillReport {
  return { ok: false, refused: { code: 'stopped', cause: reason, writes }, fields: [] };
}

/** Read the form back against the plan without writing anything (the clerk may have edited it). */
export async function checkReply(top: Document, plan: ReplyPlan, options: Pick<FillOptions, 'confirmedOrder'> = {}): Promise<FillReport> {
  performance.mark(FILL_MARKS.checkStart);
  try {
    return await checkReplyMarked(top, plan, options);
  } finally {
    performance.mark(FILL_MARKS.checkEnd);
  }
}

async function checkReplyMarked(top: Document, plan: ReplyPlan, options: Pick<FillOptions, 'confirmedOrder'>): Promise<FillReport> {
  const order = checkReplyOrder(top, plan, options.confirmedOrder);
  if (!order.ok) return { ok: false, refused: order.reason, fields: [] };
  const fields: FieldReport[] = [];
  const elements: (Element | null)[] = [];
  for (const planned of plan.fields) {
    const found = locate(top, planned.field.locators, planned.field.widget.kind);
    elements.push(found.ok ? found.element : null);
    fields.push(await report(found.ok ? { planned, element: found.element } : { planned, element: null, error: found.reason }, { photos: new Map(), uploadTimeoutMs: 0 }));
  }
  fields.push(...unplannedReports(elements));
  return { ok: fields.every((f) => f.status !== 'failed'), fields };
}

async function writeField(el: Element, field: ReplyField, value: PlannedValue, options: FillOptions): Promise<void> {
  const widget = field.widget;
  const text = writtenText(value);
  switch (widget.kind) {
    case 'text':
    case 'textarea':
      setText(el, text);
      return;
    case 'date':
      return setDate(el, text);
    case 'select':
      return chooseNative(el as HTMLSelectElement, accepted(value));
    case 'radio':
      return chooseInGroup(el, accepted(value));
    case 'checkbox': {
      const lone = loneCheckbox(el, plainText);
      if (lone && isYesNo(value)) return setLoneCheckbox(lone, value.value === 'yes');
      return chooseInGroup(el, accepted(value));
    }
    case 'element-plus-select':
      return chooseElementSelect(el, accepted(value), 'plus');
    case 'element-ui-select':
      return chooseElementSelect(el, accepted(value), 'ui');
    case 'layui-select':
      return chooseLayuiSelect(el as HTMLSelectElement, accepted(value));
    case 'richtext':
      return setRichText(el, widget.editor, text, options.bridge);
    case 'file':
      if (value.type !== 'files') throw new FillError({ code: 'files_only' });
      return attachFiles(el, widget, value, options);
  }
}

function isYesNo(value: PlannedValue): value is Extract<PlannedValue, { type: 'choice' }> {
  return value.type === 'choice' && (value.value === 'yes' || value.value === 'no');
}

function writtenText(value: PlannedValue): string {
  return value.type === 'text' || value.type === 'date' ? value.text : value.type === 'choice' ? (value.accept[0] ?? value.value) : '';
}

function accepted(value: PlannedValue): readonly string[] {
  return value.type === 'choice' ? value.accept : [writtenText(value)];
}

function textInput(el: Element): HTMLInputElement {
  if (!isTag(el, 'input') && !isTag(el, 'textarea')) throw new FillError({ code: 'not_input', tag: el.tagName.toLowerCase() });
  const input = el as HTMLInputElement;
  if (input.readOnly || input.disabled) throw new FillError({ code: 'input_readonly' });
  return input;
}

function setText(el: Element, text: string): void {
  const input = textInput(el);
  fire(input, 'focus', { bubbles: false });
  input.value = text;
  fire(input, 'input');
  fire(input, 'change');
  fire(input, 'blur', { bubbles: false });
}

/**
 * Date pickers take typed text in their display format: they open their panel
 * on focus (Element UI can only parse once the panel exists), parse on change
 * or Enter, and on closing show the value they really hold, which the
 * read-back then sees. Each step waits one task, by which the picker's own
 * update (Vue's next tick, a jQuery handler) has run; not a frame: nothing
 * here needs the page drawn, and the read-back waits for the render.
 */
async function setDate(el: Element, text: string): Promise<void> {
  const input = textInput(el);
  fire(input, 'focus', { bubbles: false });
  await sleep(0);
  input.value = text;
  fire(input, 'input');
  fire(input, 'change');
  fireKey(input, 'keydown', 'Enter');
  fireKey(input, 'keyup', 'Enter');
  await sleep(0);
  fireKey(input, 'keydown', 'Escape');
  fire(input, 'blur', { bubbles: false });
  input.ownerDocument.body.dispatchEvent(new (input.ownerDocument.defaultView ?? window).MouseEvent('mousedown', { bubbles: true }));
  input.ownerDocument.body.dispatchEvent(new (input.ownerDocument.defaultView ?? window).MouseEvent('mouseup', { bubbles: true }));
}

async function setRichText(el: Element, editor: string, text: string, bridge: PageBridge | undefined): Promise<void> {
  if (editor === 'kindeditor' || editor === 'ueditor') {
    if (!bridge) throw new FillError({ code: 'editor_helper_missing', editor });
    const token = randomToken();
    el.setAttribute(TARGET_ATTRIBUTE, token);
    try {
      const response = await bridge.call({ op: 'richtext.set', editor, target: token, html: textToParagraphHtml(text) });
      if (!response.ok) throw new FillError({ code: 'editor_refused', cause: pageError(response.error) });
    } finally {
      el.removeAttribute(TARGET_ATTRIBUTE);
    }
    return;
  }
  const editable = editableOf(el);
  if (!editable) throw new FillError({ code: 'no_editable' });
  // Built node by node: order text is data, never markup.
  const doc = editable.ownerDocument;
  const paragraphs = text.split(/\r?\n/).map((line) => {
    const p = doc.createElement('p');
    if (line) p.textContent = line;
    else p.appendChild(doc.createElement('br'));
    return p;
  });
  fire(editable, 'focus', { bubbles: false });
  editable.replaceChildren(...paragraphs);
  fire(editable, 'input');
  fireKey(editable, 'keyup', 'Unidentified');
  fire(editable, 'blur', { bubbles: false });
}

function editableOf(el: Element): HTMLElement | null {
  if (el.getAttribute('contenteditable') === 'true') return el as HTMLElement;
  return el.querySelector('[contenteditable=true]');
}

/** The text a rich-text field shows, wherever its editor keeps it. */
function richText(el: Element, editor: string): string {
  if (editor === 'kindeditor' || editor === 'ueditor') {
    const body = editorFrameBody(el);
    return body ? visibleText(body) : '';
  }
  const editable = editableOf(el);
  return editable ? visibleText(editable) : '';
}

/** KindEditor and UEditor edit inside an iframe next to the hidden source element (or inside UEditor's container). */
function editorFrameBody(el: Element): HTMLElement | null {
  const scopes = [el, el.previousElementSibling, el.nextElementSibling, el.parentElement];
  for (const scope of scopes) {
    const frame = scope?.querySelector('iframe.ke-edit-iframe, iframe[id^=ueditor_]') ?? null;
    const body = (frame as HTMLIFrameElement | null)?.contentDocument?.body;
    if (body) return body;
  }
  return null;
}

/**
 * Photos go in through the portal's own file input as real File objects, so
 * the portal's upload code sends them. A photo the portal already lists for
 * this field (by its name, which comes from its hash) is not sent again: a
 * second fill uploads only what is missing. An input without `multiple` takes
 * them one at a time, each after the portal listed the one before.
 */
async function attachFiles(el: Element, widget: Extract<Widget, { kind: 'file' }>, value: Extract<PlannedValue, { type: 'files' }>, options: FillOptions): Promise<void> {
  if (!isTag(el, 'input') || (el as HTMLInputElement).type !== 'file') throw new FillError({ code: 'not_file_input' });
  const input = el as HTMLInputElement;
  const view = (el.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
  const already = uploadedNames(input, widget);
  const missing = value.photos.filter((photo) => !already.some((t) => t.includes(photo.name)));
  const files = missing.map((photo) => {
    const blob = options.photos.get(photo.sha256);
    if (!blob) throw new FillError({ code: 'photo_not_here', hash: photo.sha256.slice(0, 8) });
    return new view.File([blob], photo.name, { type: photo.mime });
  });
  if (files.length === 0) return;
  const batches = input.multiple ? [files] : files.map((file) => [file]);
  for (const [i, batch] of batches.entries()) {
    if (i > 0) {
      const previous = batches[i - 1]?.[0]?.name ?? '';
      const listed = await waitFor(() => uploadedNames(input, widget).some((t) => t.includes(previous)), options.uploadTimeoutMs ?? 20_000, 100);
      if (!listed) throw new FillError({ code: 'upload_unconfirmed', name: previous });
    }
    const transfer = new view.DataTransfer();
    for (const file of batch) transfer.items.add(file);
    input.files = transfer.files;
    fire(input, 'input');
    fire(input, 'change');
  }
}

/** Texts of the items the portal lists as uploaded next to this input. */
function uploadedNames(input: Element, widget: Extract<Widget, { kind: 'file' }>): string[] {
  const scope = input.closest(widget.uploaded.within);
  return scope ? [...scope.querySelectorAll(widget.uploaded.item)].map((item) => item.textContent ?? '') : [];
}

async function report(w: Written, options: FillOptions): Promise<FieldReport> {
  const { field, value } = w.planned;
  const marker = w.element ? requiredMarker(w.element) : null;
  const required = field.required ?? marker !== null;
  const base = { key: field.key, label: field.label, expected: describePlanned(value), required };
  if (value.type === 'skip') {
    // Nothing to write is fine only where the portal does not insist.
    if (!required) return { ...base, status: 'skipped', actual: '', reason: value.reason };
    const why = field.required ? 'adapter' : (marker ?? 'adapter');
    if (!w.element) return { ...base, status: 'failed', actual: '', reason: { code: 'required_skipped', marker: why, skip: value.reason, cause: w.error ?? { code: 'field_not_found' } } };
    const shown = shownValue(w.element, field);
    if (shown) return { ...base, status: 'ok', actual: shown, reason: { code: 'kept_shown', skip: value.reason } };
    return { ...base, status: 'failed', actual: '', reason: { code: 'required_skipped', marker: why, skip: value.reason, cause: null } };
  }
  if (!w.element) return { ...base, status: 'failed', actual: '', reason: w.error ?? { code: 'field_not_found' } };
  const check = await readBack(w.element, field, value, options);
  if (w.error) return { ...base, status: 'failed', actual: check.actual, reason: w.error };
  return check.ok ? { ...base, status: 'ok', actual: check.actual } : { ...base, status: 'failed', actual: check.actual, reason: check.reason };
}

/**
 * The portal lists exactly the order's photos for this field: each name once
 * (waiting for uploads still under way), and nothing else — a photo listed
 * twice, or a file that is not this order's, would be submitted with it.
 */
async function filesCheck(el: Element, widget: Extract<Widget, { kind: 'file' }>, names: readonly string[], timeoutMs: number): Promise<Check> {
  const listed = () => uploadedNames(el, widget).map((t) => t.trim()).filter(Boolean);
  await waitFor(() => names.every((n) => listed().some((t) => t.includes(n))), timeoutMs, 100);
  const items = listed();
  const actual = items.join('、');
  const shown = names.filter((n) => items.some((t) => t.includes(n)));
  if (shown.length < names.length) return { ok: false, actual, reason: { code: 'files_unconfirmed', shown: shown.length, total: names.length } };
  const twice = names.filter((n) => items.filter((t) => t.includes(n)).length > 1);
  if (twice.length > 0) return { ok: false, actual, reason: { code: 'files_twice', listed: items.length, total: names.length, names: twice } };
  const others = items.filter((t) => !names.some((n) => t.includes(n)));
  if (others.length > 0) return { ok: false, actual, reason: { code: 'files_foreign', names: others } };
  return { ok: true, actual };
}

/** What a field holds now, whoever wrote it; '' when it is empty (a select on its placeholder option too). */
function shownValue(el: Element, field: ReplyField): string {
  const widget = field.widget;
  switch (widget.kind) {
    case 'text':
    case 'textarea':
    case 'date':
      return ((el as HTMLInputElement).value ?? '').trim();
    case 'select':
      return (el as HTMLSelectElement).value === '' ? '' : visibleText(el);
    case 'radio':
    case 'checkbox':
      return checkedTexts(el).join('、');
    case 'element-plus-select':
    case 'element-ui-select':
      return elementSelectText(el, widget.kind === 'element-plus-select' ? 'plus' : 'ui');
    case 'layui-select':
      return (el as HTMLSelectElement).value === '' ? '' : layuiSelectText(el as HTMLSelectElement).shown;
    case 'richtext':
      return richText(el, widget.editor).trim();
    case 'file':
      return uploadedNames(el, widget).map((t) => t.trim()).filter(Boolean).join('、');
  }
}

/** The moment, not the spelling: a picker may show 2026年12月3日 for what was typed as 2026年12月03日. */
/** A field read back: what it shows, and why that is not what was planned. */
interface Check {
  readonly ok: boolean;
  readonly actual: string;
  readonly reason?: Reason;
}

function dateCheck(time: number, actual: string, format: string, expected: string): Check {
  const compared = compareShownDate(time, actual, format);
  if (compared === 'same') return { ok: true, actual };
  if (compared === 'different') return { ok: false, actual, reason: { code: 'date_other', actual, expected } };
  return { ok: false, actual, reason: actual ? { code: 'date_unreadable', actual, format, expected } : { code: 'date_empty', expected } };
}

async function readBack(el: Element, field: ReplyField, value: PlannedValue, options: FillOptions): Promise<Check> {
  const widget = field.widget;
  const expected = writtenText(value);
  const lone = widget.kind === 'checkbox' && isYesNo(value) ? loneCheckbox(el) : null;
  if (lone && value.type === 'choice') {
    // As the page shows it, in no language: ☑ or ☐ and the box's own label.
    const actual = `${lone.input.checked ? '☑' : '☐'} ${lone.text}`;
    const ok = lone.input.checked === (value.value === 'yes');
    return ok ? { ok, actual } : { ok, actual, reason: { code: value.value === 'yes' ? 'checkbox_should_check' : 'checkbox_should_uncheck' } };
  }
  const textCheck = (actual: string, ok: boolean): Check => (ok ? { ok, actual } : { ok, actual, reason: { code: 'text_differs', actual, expected } });
  switch (widget.kind) {
    case 'text':
    case 'textarea': {
      const actual = (el as HTMLInputElement).value ?? '';
      return textCheck(actual, actual === expected);
    }
    case 'date': {
      const actual = ((el as HTMLInputElement).value ?? '').trim();
      if (value.type !== 'date') return textCheck(actual, normalizeText(actual) === normalizeText(expected));
      return dateCheck(value.time, actual, widget.format, expected);
    }
    case 'select':
    case 'radio':
    case 'checkbox':
    case 'element-plus-select':
    case 'element-ui-select': {
      const actual =
        widget.kind === 'select' ? visibleText(el) : widget.kind === 'radio' || widget.kind === 'checkbox' ? checkedTexts(el).join('、') : elementSelectText(el, widget.kind === 'element-plus-select' ? 'plus' : 'ui');
      const ok = matchesAny(actual, accepted(value));
      return ok ? { ok, actual } : { ok, actual, reason: actual ? { code: 'choice_differs', actual, expected } : { code: 'choice_none', expected } };
    }
    case 'layui-select': {
      const { value: selected, shown } = layuiSelectText(el as HTMLSelectElement);
      const ok = matchesAny(selected, accepted(value)) && matchesAny(shown, accepted(value));
      return ok ? { ok, actual: shown } : { ok, actual: shown || selected, reason: { code: 'layui_differs', selected, shown, expected } };
    }
    case 'richtext': {
      const actual = richText(el, widget.editor);
      return sameText(actual, expected) ? { ok: true, actual } : { ok: false, actual, reason: { code: 'editor_differs' } };
    }
    case 'file': {
      if (value.type !== 'files') return { ok: false, actual: '', reason: { code: 'no_photos' } };
      if (!el.closest(widget.uploaded.within)) return { ok: false, actual: '', reason: { code: 'upload_list_missing', selector: widget.uploaded.within } };
      return filesCheck(el, widget, value.photos.map((p) => p.name), options.uploadTimeoutMs ?? 20_000);
    }
  }
}
