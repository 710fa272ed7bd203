/**
 * Finding a field's element from its locators. Every locator proposes
 * candidates; each required locator must propose the winner, optional ones
 * only add score, and exactly one element must come out on top. Anything
 * else is a failure with a reason, never a guess.
 */
import type { Locator, WidgetKind } from '#shared/portal/adapter.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { normalizeText } from '#shared/portal/vocabulary.ts';
import { inputType, isTag, resolveFrame } from './dom.ts';

/** What a locator should end on: a reply widget, or the value cell of an order field. */
export type Target = WidgetKind | 'read';

export type Located = { ok: true; element: Element; score: number } | { ok: false; reason: Reason };

const TEXT_INPUT = 'input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]):not([type=button]):not([type=submit])';

/** Inside a field's container, the element each widget kind is driven through. */
const TARGET_SELECTOR: Record<Exclude<Target, 'read'>, string> = {
  text: TEXT_INPUT,
  textarea: 'textarea',
  select: 'select',
  radio: '[role=radiogroup], .el-radio-group',
  checkbox: '.el-checkbox-group, [role=group]',
  'element-plus-select': '.el-select',
  'element-ui-select': '.el-select',
  'layui-select': 'select',
  date: TEXT_INPUT,
  richtext: '[contenteditable=true], .w-e-text, textarea',
  file: 'input[type=file]',
};

const LABEL_CANDIDATES = 'label, th, td, dt, legend, .el-form-item__label, .el-descriptions__label, .layui-form-label, span, div, b, strong, p';

const DEFAULT_WEIGHT: Record<Locator['by'], number> = { label: 1, name: 2, placeholder: 1, aria: 1, css: 2 };

export function locate(top: Document, locators: readonly Locator[], target: Target): Located {
  const results = locators.map((locator) => ({ locator, found: candidates(top, locator, target) }));
  const required = results.filter((r) => !r.locator.optional);
  for (const r of required) {
    if ('error' in r.found) return { ok: false, reason: { code: 'locator_failed', at: r.locator, cause: r.found.error } };
    if (r.found.elements.length === 0) return { ok: false, reason: { code: target === 'read' ? 'locator_not_found' : 'locator_no_input', at: r.locator } };
  }
  const lists = results.map((r) => ({ ...r, elements: 'error' in r.found ? [] : r.found.elements }));
  const pool = new Set<Element>(lists.flatMap((r) => r.elements));
  let winners = [...pool].filter((el) => lists.every((r) => r.locator.optional || r.elements.includes(el)));
  if (winners.length === 0) {
    const found = lists.filter((r) => !r.locator.optional).map((r) => ({ at: r.locator, elements: r.elements.map(shortName) }));
    return { ok: false, reason: { code: 'locators_disagree', found } };
  }
  const score = (el: Element) =>
    lists.reduce((sum, r) => (r.elements.includes(el) ? sum + (r.locator.weight ?? DEFAULT_WEIGHT[r.locator.by]) / r.elements.length : sum), 0);
  const scored = winners.map((el) => ({ el, score: score(el) })).sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best) return { ok: false, reason: { code: 'no_match' } };
  if (second && second.score === best.score) {
    winners = scored.filter((s) => s.score === best.score).map((s) => s.el);
    return { ok: false, reason: { code: 'ambiguous', elements: winners.map(shortName) } };
  }
  return { ok: true, element: best.el, score: best.score };
}

export type Candidates = { elements: Element[] } | { error: Reason };

/** The elements one locator proposes, each already turned into the widget's target element. */
export function candidates(top: Document, locator: Locator, target: Target): Candidates {
  const frame = resolveFrame(top, locator.frame);
  if (!frame.ok) return { error: frame.reason };
  const doc = frame.doc;
  let raw: Element[];
  try {
    switch (locator.by) {
      case 'label':
        raw = labelElements(doc, locator.text).map(controlContainer).filter((el): el is Element => el !== null);
        break;
      case 'name':
        raw = [...doc.querySelectorAll(`[name="${cssString(locator.value)}"]`)];
        break;
      case 'placeholder':
        raw = [...doc.querySelectorAll(`[placeholder="${cssString(locator.value)}"]`)];
        break;
      case 'aria':
        raw = [...doc.querySelectorAll(`[aria-label="${cssString(locator.value)}"]`)];
        break;
      case 'css':
        raw = [...doc.querySelectorAll(locator.selector)];
        break;
    }
  } catch {
    return { error: { code: 'selector_invalid' } };
  }
  const elements = new Set<Element>();
  for (const el of raw) {
    const t = toTarget(el, target);
    if (t) elements.add(t);
  }
  return { elements: [...elements] };
}

/**
 * Elements whose whole text is the label, innermost first. Walks text nodes
 * rather than asking every element for its textContent, which on a large
 * portal page would read the whole document once per element.
 */
export function labelElements(doc: Document, label: string): Element[] {
  const wanted = normalizeText(label);
  const root = doc.body ?? doc.documentElement;
  if (!wanted || !root) return [];
  const found = new Set<Element>();
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const piece = normalizeText(node.nodeValue ?? '');
    if (!piece || !wanted.includes(piece)) continue;
    // Climb while the text stays no longer than the label; a required star or a split label joins on the way.
    for (let el = node.parentElement; el; el = el.parentElement) {
      const text = normalizeText(el.textContent ?? '');
      if (text.length > wanted.length) break;
      if (text === wanted) {
        if (el.matches(LABEL_CANDIDATES)) found.add(el);
        break;
      }
    }
  }
  return [...found];
}

/** From a label element to the element holding the field's control or value. */
export function controlContainer(label: Element): Element | null {
  const doc = label.ownerDocument;
  const forId = label.getAttribute('for');
  if (isTag(label, 'label') && forId) {
    const byId = doc.getElementById(forId);
    if (byId) return byId;
  }
  if (isTag(label, 'label') && label.querySelector('input, select, textarea')) return label;
  const formItem = label.closest('.el-form-item');
  if (formItem && label.closest('.el-form-item__label, .el-form-item__label-wrap')) {
    return [...formItem.children].find((c) => c.classList.contains('el-form-item__content')) ?? null;
  }
  const layuiItem = label.closest('.layui-form-item');
  if (layuiItem && label.closest('.layui-form-label')) {
    return layuiItem.querySelector(':scope > .layui-input-block, :scope > .layui-input-inline, :scope > .layui-textarea') ?? null;
  }
  const cell = label.closest('td, th');
  if (cell) return cell.nextElementSibling;
  const term = label.closest('dt');
  if (term) return term.nextElementSibling;
  return label.nextElementSibling;
}

/** Turn any element near a widget into the element the widget is driven through, or null. */
export function toTarget(el: Element, target: Target): Element | null {
  if (target === 'read') return el;
  switch (target) {
    case 'radio':
    case 'checkbox':
      return choiceGroup(el, target);
    case 'element-plus-select':
    case 'element-ui-select':
      return el.closest('.el-select') ?? el.querySelector('.el-select');
    case 'richtext':
      return richTextTarget(el);
    default: {
      const selector = TARGET_SELECTOR[target];
      if (el.matches(selector)) return el;
      const inside = [...el.querySelectorAll(selector)];
      // A container holding two inputs of the kind is not one field.
      return inside.length === 1 ? (inside[0] ?? null) : null;
    }
  }
}

function richTextTarget(el: Element): Element | null {
  if (el.matches('[contenteditable=true], textarea')) return el;
  const editable = el.querySelector('[contenteditable=true]');
  if (editable) return editable;
  // KindEditor and UEditor hide the page's own textarea and add textareas of their own.
  const source = [...el.querySelectorAll('textarea')].find((t) => !t.closest('.ke-container, .edui-editor'));
  if (source) return source;
  // UEditor set up over a <script type="text/plain"> has no textarea until it syncs: its container stands in.
  return el.closest('.edui-editor') ?? el.querySelector('.edui-editor');
}

/** The element holding a whole radio or checkbox group. */
function choiceGroup(el: Element, kind: 'radio' | 'checkbox'): Element | null {
  const explicit = el.closest(TARGET_SELECTOR[kind]) ?? el.querySelector(TARGET_SELECTOR[kind]);
  if (explicit && explicit.querySelector(`input[type=${kind}]`)) return explicit;
  const input = inputType(el) === kind ? el : el.querySelector(`input[type=${kind}]`);
  if (!input) return null;
  const name = input.getAttribute('name');
  if (!name) return el === input ? input.parentElement : el;
  const scope = input.closest('form') ?? input.ownerDocument;
  const all = scope.querySelectorAll(`input[type=${kind}][name="${cssString(name)}"]`).length;
  // The smallest ancestor holding every input of the group.
  for (let node = input.parentElement; node; node = node.parentElement) {
    if (node.querySelectorAll(`input[type=${kind}][name="${cssString(name)}"]`).length === all) return node;
  }
  return null;
}

export function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** A short description of an element for messages: tag, name, classes. */
export function shortName(el: Element): string {
  const name = el.getAttribute('name');
  const cls = [...el.classList].filter((c) => !/^(is-|el-id|layui-this)/.test(c)).slice(0, 2).join('.');
  return `<${el.tagName.toLowerCase()}${name ? ` name=${name}` : ''}${cls ? ` .${cls}` : ''}>`;
}
