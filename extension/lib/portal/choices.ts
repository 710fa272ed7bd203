/**
 * Choosing an option the way the portal's UI library expects: native selects
 * and radios, Element Plus and Element UI selects (dropdowns teleported to
 * <body>), and layui's emulated selects and radios (the real control is
 * hidden; layui listens to clicks on its own elements).
 */
import type { Reason } from '#shared/portal/reasons.ts';
import { matchOption, normalizeText } from '#shared/portal/vocabulary.ts';
import { clickLike, fire, inputType, isShown, plainText, sleep, visibleText, waitFor } from './dom.ts';

/** A field could not be written, and why (a code, shown in the clerk's language by the panel). */
export class FillError extends Error {
  constructor(readonly reason: Reason) {
    super(reason.code);
  }
}

const OPEN_TIMEOUT_MS = 3000;

// ---- native <select> ----

export function chooseNative(select: HTMLSelectElement, accept: readonly string[]): void {
  const options = [...select.options];
  const index = matchOption(options.map((o) => o.text), accept);
  if (index < 0) throw new FillError(noOption(accept, options.map((o) => o.text)));
  select.selectedIndex = index;
  fire(select, 'input');
  fire(select, 'change');
}

// ---- radio and checkbox groups ----

interface ChoiceOption {
  readonly input: HTMLInputElement;
  readonly text: string;
  /**
   * What the fill clicks: layui's emulated box (layui listens to it), else the
   * input itself. A person clicks the label, which clicks the input: the same
   * click, bubbling through the label, but clicking a label makes the browser
   * lay out the page first (to tell a click from a text selection), once per
   * field right after the previous field's write.
   */
  readonly clickable: Element;
}

/**
 * The options of a radio or checkbox group with their texts. `read` reads a
 * label's text: what a person sees (the default, for the read-back), or
 * `plainText` while writing, so that choosing after the previous field's write
 * does not lay the page out; the read-back then checks the visible text.
 */
export function choiceOptions(group: Element, read: (el: Element) => string = visibleText): ChoiceOption[] {
  const inputs = [...group.querySelectorAll('input[type=radio], input[type=checkbox]')] as HTMLInputElement[];
  if (inputType(group) === 'radio' || inputType(group) === 'checkbox') inputs.push(group as HTMLInputElement);
  return inputs.map((input) => {
    const layui = input.nextElementSibling?.matches('.layui-form-radio, .layui-form-checkbox') ? input.nextElementSibling : null;
    const wrapping = input.closest('label');
    const byFor = input.id ? input.ownerDocument.querySelector(`label[for="${input.id}"]`) : null;
    const text =
      input.getAttribute('title') ??
      (wrapping ? read(wrapping) : byFor ? read(byFor) : layui ? read(layui) : (input.nextSibling?.textContent ?? '').trim());
    return { input, text, clickable: layui ?? input };
  });
}

export function chooseInGroup(group: Element, accept: readonly string[]): void {
  const options = choiceOptions(group, plainText);
  const index = matchOption(options.map((o) => o.text), accept);
  const option = options[index];
  if (!option) throw new FillError(noOption(accept, options.map((o) => o.text)));
  if (option.input.checked && option.input.type === 'checkbox') return;
  (option.clickable as HTMLElement).click();
  // A library that ignored the click leaves the input unchecked; the read-back says so.
}

/**
 * A lone checkbox (“已联系群众”) says yes by being ticked: for a yes/no value it
 * is ticked or unticked rather than matched by its text.
 */
export function loneCheckbox(group: Element, read: (el: Element) => string = visibleText): ChoiceOption | null {
  const options = choiceOptions(group, read);
  const only = options[0];
  return options.length === 1 && only && only.input.type === 'checkbox' ? only : null;
}

export function setLoneCheckbox(option: ChoiceOption, checked: boolean): void {
  if (option.input.checked !== checked) (option.clickable as HTMLElement).click();
}

export function checkedTexts(group: Element): string[] {
  return choiceOptions(group)
    .filter((o) => o.input.checked)
    .map((o) => o.text);
}

// ---- Element Plus / Element UI select ----

export async function chooseElementSelect(select: Element, accept: readonly string[], flavour: 'plus' | 'ui'): Promise<void> {
  // Element UI renders its dropdown inside the select until first opened, then moves it to <body>.
  const ownDropdown = select.querySelector('.el-select-dropdown');
  const trigger = flavour === 'plus' ? (select.querySelector('.el-select__wrapper') ?? select) : (select.querySelector('.el-input') ?? select);
  const doc = select.ownerDocument;
  const lists = () => [...doc.querySelectorAll('.el-select-dropdown, .el-select__popper')];
  const openBefore = new Set(lists().filter((el) => isShown(el)));
  clickLike(trigger);
  // The dropdown that belongs to this select: linked by aria-controls (Plus), the one it held
  // before opening (UI), or else the one that opened just now (a closing one may still be shown).
  const own = controlledList(select) ?? ownDropdown;
  const list = await waitFor(() => {
    const usable = (el: Element | null): el is Element => el !== null && el.isConnected && isShown(el) && el.querySelector('.el-select-dropdown__item') !== null;
    if (own) return usable(own) ? own : null;
    return lists().find((el) => usable(el) && !openBefore.has(el));
  }, OPEN_TIMEOUT_MS);
  if (!list) throw new FillError({ code: 'dropdown_not_open' });
  const items = [...list.querySelectorAll('.el-select-dropdown__item')].filter((el) => !el.classList.contains('is-disabled'));
  const index = matchOption(items.map((el) => visibleText(el)), accept);
  const item = items[index];
  if (!item) {
    clickLike(trigger); // close it again
    throw new FillError(noOption(accept, items.map((el) => visibleText(el))));
  }
  item.dispatchEvent(new (doc.defaultView ?? window).MouseEvent('mouseenter', { bubbles: false }));
  clickLike(item);
  await sleep(0);
}

/** Element Plus links its input to the dropdown with aria-controls. */
function controlledList(select: Element): Element | null {
  const id = select.querySelector('[aria-controls]')?.getAttribute('aria-controls');
  if (!id) return null;
  const listbox = select.ownerDocument.getElementById(id);
  return listbox?.closest('.el-select__popper, .el-select-dropdown') ?? listbox ?? null;
}

export function elementSelectText(select: Element, flavour: 'plus' | 'ui'): string {
  if (flavour === 'ui') return (select.querySelector('input.el-input__inner') as HTMLInputElement | null)?.value.trim() ?? '';
  const shown = select.querySelector('.el-select__selected-item:not(.is-transparent):not(.is-hidden), .el-select__placeholder:not(.is-transparent)');
  return shown ? visibleText(shown) : '';
}

// ---- layui select ----

export async function chooseLayuiSelect(select: HTMLSelectElement, accept: readonly string[]): Promise<void> {
  const emulated = layuiEmulation(select);
  if (!emulated) throw new FillError({ code: 'dropdown_missing' });
  const title = emulated.querySelector('.layui-select-title') ?? emulated;
  clickLike(title);
  const items = await waitFor(() => {
    const dds = [...emulated.querySelectorAll('dd[lay-value]')].filter((dd) => !dd.classList.contains('layui-disabled') && dd.getAttribute('lay-value') !== '');
    return dds.length > 0 ? dds : null;
  }, OPEN_TIMEOUT_MS);
  if (!items) throw new FillError({ code: 'dropdown_empty' });
  const index = matchOption(items.map((dd) => visibleText(dd) || (dd.textContent ?? '')), accept);
  const item = items[index];
  if (!item) throw new FillError(noOption(accept, items.map((dd) => dd.textContent ?? '')));
  clickLike(item);
}

export function layuiEmulation(select: Element): Element | null {
  const next = select.nextElementSibling;
  return next && next.classList.contains('layui-form-select') ? next : null;
}

export function layuiSelectText(select: HTMLSelectElement): { value: string; shown: string } {
  const emulated = layuiEmulation(select);
  const shown = (emulated?.querySelector('.layui-select-title input') as HTMLInputElement | null)?.value ?? '';
  return { value: visibleText(select), shown: shown.trim() };
}

function noOption(accept: readonly string[], options: readonly string[]): Reason {
  return { code: 'option_missing', wanted: accept[0] ?? '', tried: accept.slice(1), offered: options.map((o) => o.trim()).filter(Boolean) };
}

export function matchesAny(text: string, accept: readonly string[]): boolean {
  const t = normalizeText(text);
  return accept.some((a) => normalizeText(a) === t);
}
