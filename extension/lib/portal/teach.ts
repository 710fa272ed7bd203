/**
 * Teach mode: from the element an admin clicked, propose locators for the
 * field and say how many elements each one finds, so the panel can highlight
 * them and warn about the ones that are not unique.
 */
import * as v from 'valibot';
import { CssSelectorSchema, type Locator, type PageMatch } from '#shared/portal/adapter.ts';
import type { Reason } from '#shared/portal/reasons.ts';
import { allDocuments, isTag } from './dom.ts';
import { candidates, cssString, toTarget, type Target } from './locate.ts';

export interface TeachCandidate {
  readonly locator: Locator;
  /** How many elements the locator finds on the page. */
  readonly matches: number;
  /** It finds the taught element, and nothing else. */
  readonly unique: boolean;
}

export type TeachResult =
  | {
      readonly ok: true;
      /** The element the field is driven through (the clicked one or its widget). */
      readonly target: Element;
      readonly frame: readonly string[];
      readonly candidates: readonly TeachCandidate[];
      /** The unique candidates: what the adapter should store. Empty when nothing identifies the field alone. */
      readonly suggested: readonly Locator[];
    }
  | { readonly ok: false; readonly reason: Reason };

const UNSTABLE = /\d{4,}|^el-id|^is-|^layui-this$|^layui-form-(radioed|checked)$|^hover|^active|^focus|^selected/;

export function teachLocators(top: Document, clicked: Element, kind: Target): TeachResult {
  const target = targetNear(editorSource(clicked) ?? clicked, kind);
  if (!target) return { ok: false, reason: kind === 'read' ? { code: 'teach_click_content' } : { code: 'teach_no_input', kind } };
  const frame = framePath(target);
  if (frame === null) return { ok: false, reason: { code: 'teach_frame_unstable' } };
  const withFrame = <L extends Locator>(l: L): L => (frame.length ? { ...l, frame: [...frame] } : l);

  const proposals: Locator[] = [];
  const label = labelFor(target, kind);
  if (label) proposals.push(withFrame({ by: 'label', text: label }));
  const name = nameOf(target);
  if (name) proposals.push(withFrame({ by: 'name', value: name }));
  const placeholder = target.getAttribute('placeholder') ?? target.querySelector('[placeholder]')?.getAttribute('placeholder');
  if (placeholder) proposals.push(withFrame({ by: 'placeholder', value: placeholder }));
  const aria = target.getAttribute('aria-label');
  if (aria) proposals.push(withFrame({ by: 'aria', value: aria }));
  const css = stableSelector(target);
  if (css) proposals.push(withFrame({ by: 'css', selector: css }));

  const scored = proposals.map((locator) => {
    const found = candidates(top, locator, kind);
    const elements = 'elements' in found ? found.elements : [];
    return { locator, matches: elements.length, unique: elements.length === 1 && elements[0] === target };
  });
  return { ok: true, target, frame, candidates: scored, suggested: scored.filter((c) => c.unique).map((c) => c.locator) };
}

/** A click inside KindEditor's or UEditor's editing iframe means the page's textarea behind it. */
function editorSource(clicked: Element): Element | null {
  const frame = clicked.ownerDocument.defaultView?.frameElement;
  const editor = frame?.closest('.ke-container, .edui-editor');
  if (!editor) return null;
  // KindEditor sits beside its textarea; UEditor inside a holder beside it.
  const scopes = [editor.parentElement, editor.parentElement?.parentElement];
  for (const scope of scopes) {
    const source = scope ? [...scope.querySelectorAll('textarea')].find((t) => !t.closest('.ke-container, .edui-editor')) : undefined;
    if (source) return source;
  }
  // A UEditor over a <script> holder has no textarea of the page's: its container is the field.
  return editor.matches('.edui-editor') ? editor : null;
}

/**
 * While teaching, clicks pick elements instead of working the page: they are
 * caught in the capture phase in every same-origin frame and stopped before the
 * page's own handlers see them. Returns the function that ends teaching.
 */
export function captureClicks(top: Document, onPick: (el: Element) => void): () => void {
  const docs = allDocuments(top);
  const block = (event: Event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type === 'click' && event.target && (event.target as Node).nodeType === 1) onPick(event.target as Element);
  };
  const types = ['pointerdown', 'mousedown', 'mouseup', 'click'] as const;
  for (const doc of docs) for (const type of types) doc.defaultView?.addEventListener(type, block, true);
  return () => {
    for (const doc of docs) for (const type of types) doc.defaultView?.removeEventListener(type, block, true);
  };
}

/** A page check for the page the taught element is on: its form (or page title), in its frame. */
export function proposePageCheck(target: Element): PageMatch['check'] | null {
  const frame = framePath(target);
  if (frame === null) return null;
  const form = target.closest('form');
  const formSelector = form ? simpleSelector(form) : null;
  if (formSelector && v.is(CssSelectorSchema, formSelector)) return { selector: formSelector, ...(frame.length ? { frame } : {}) };
  const title = target.ownerDocument.querySelector('h1, h2, legend, title');
  if (!title?.textContent?.trim()) return null;
  return { selector: title.tagName.toLowerCase(), text: title.textContent.trim().slice(0, 100), ...(frame.length ? { frame } : {}) };
}

function targetNear(clicked: Element, kind: Target): Element | null {
  let node: Element | null = clicked;
  for (let depth = 0; node && depth < 6; depth++, node = node.parentElement) {
    const target = toTarget(node, kind);
    if (target) return target;
  }
  return null;
}

/** Selectors of the frames from the top document down to the element's document. */
function framePath(el: Element): string[] | null {
  const path: string[] = [];
  let win = el.ownerDocument.defaultView;
  while (win && win.frameElement) {
    const frame: Element = win.frameElement;
    const selector = frameSelector(frame);
    if (!selector) return null;
    path.unshift(selector);
    win = frame.ownerDocument.defaultView;
  }
  return path;
}

function frameSelector(frame: Element): string | null {
  const tag = frame.tagName.toLowerCase();
  if (frame.id && !UNSTABLE.test(frame.id)) return `${tag}#${cssIdent(frame.id)}`;
  const name = frame.getAttribute('name');
  if (name && !UNSTABLE.test(name)) return `${tag}[name="${cssString(name)}"]`;
  const src = frame.getAttribute('src');
  const file = src?.split('?')[0]?.split('/').pop();
  if (file) return `${tag}[src*="${cssString(file)}"]`;
  return null;
}

function labelFor(target: Element, kind: Target): string | null {
  const doc = target.ownerDocument;
  const texts: (string | null | undefined)[] = [];
  if (target.id) texts.push(doc.querySelector(`label[for="${cssString(target.id)}"]`)?.textContent);
  const item = target.closest('.el-form-item');
  if (item) texts.push(item.querySelector('.el-form-item__label')?.textContent);
  const layui = target.closest('.layui-form-item');
  if (layui) texts.push(layui.querySelector('.layui-form-label')?.textContent);
  const cell = kind === 'read' && target.matches('td, th, dd') ? target : target.closest('td, dd');
  if (cell) texts.push(cell.previousElementSibling?.textContent);
  const text = texts.map((t) => (t ?? '').replace(/\s+/g, ' ').trim().replace(/[:：*＊]+$/, '').replace(/^[*＊]\s*/, '')).find((t) => t.length > 0 && t.length <= 30);
  return text ?? null;
}

function nameOf(target: Element): string | null {
  const own = target.getAttribute('name');
  if (own) return own;
  const inner = target.querySelector('input[name], select[name], textarea[name]');
  return inner?.getAttribute('name') ?? null;
}

/** A selector from stable attributes and classes, at most three levels deep, checked by the adapter schema. */
function stableSelector(target: Element): string | null {
  const parts: string[] = [];
  for (let node: Element | null = target, depth = 0; node && depth < 3; node = node.parentElement, depth++) {
    const part = simpleSelector(node);
    if (!part) continue;
    parts.unshift(part);
    const selector = parts.join(' ');
    if (target.ownerDocument.querySelectorAll(selector).length === 1 && v.is(CssSelectorSchema, selector)) return selector;
  }
  const selector = parts.join(' ');
  return selector && v.is(CssSelectorSchema, selector) ? selector : null;
}

function simpleSelector(el: Element): string | null {
  const tag = el.tagName.toLowerCase();
  if (el.id && !UNSTABLE.test(el.id)) return `${tag}#${cssIdent(el.id)}`;
  const name = el.getAttribute('name');
  if (name && !isTag(el, 'form')) return `${tag}[name="${cssString(name)}"]`;
  const classes = [...el.classList].filter((c) => !UNSTABLE.test(c)).slice(0, 2);
  return classes.length ? `${tag}.${classes.map(cssIdent).join('.')}` : null;
}

function cssIdent(value: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/[^A-Za-z0-9_-]/g, '\\$&');
}
