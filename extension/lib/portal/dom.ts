/**
 * Small DOM helpers for the portal engine. Portal pages nest same-origin
 * iframes and each frame is its own JavaScript realm, so nothing here uses
 * `instanceof` on elements: tag names and the element's own window instead.
 */
import type { Reason } from '#shared/portal/reasons.ts';

export type FrameResult = { ok: true; doc: Document } | { ok: false; reason: Reason };

/** The document inside the iframes named by `path` (CSS selectors, outermost first). */
export function resolveFrame(top: Document, path: readonly string[] | undefined): FrameResult {
  let doc = top;
  for (const selector of path ?? []) {
    let frames: Element[];
    try {
      frames = [...doc.querySelectorAll(selector)].filter((el) => isTag(el, 'iframe') || isTag(el, 'frame'));
    } catch {
      return { ok: false, reason: { code: 'frame_selector_invalid', selector } };
    }
    if (frames.length !== 1) return { ok: false, reason: frames.length === 0 ? { code: 'frame_missing', selector } : { code: 'frame_many', selector, count: frames.length } };
    const inner = (frames[0] as HTMLIFrameElement).contentDocument;
    if (!inner) return { ok: false, reason: { code: 'frame_unreachable', selector } };
    doc = inner;
  }
  return { ok: true, doc };
}

export function isTag(el: Element, tag: string): boolean {
  return el.tagName.toLowerCase() === tag;
}

export function inputType(el: Element): string {
  return isTag(el, 'input') ? ((el as HTMLInputElement).type || 'text').toLowerCase() : '';
}

/** What a person reads in an element: a control's value, or its text. */
export function visibleText(el: Element): string {
  if (isTag(el, 'input') || isTag(el, 'textarea')) return (el as HTMLInputElement).value.trim();
  if (isTag(el, 'select')) {
    const select = el as HTMLSelectElement;
    return select.selectedIndex >= 0 ? (select.options[select.selectedIndex]?.text ?? '').trim() : '';
  }
  const html = el as HTMLElement;
  const text = typeof html.innerText === 'string' && html.isConnected ? html.innerText : (el.textContent ?? '');
  return text.replace(/[ \t\u00a0]+/g, ' ').replace(/\s*\n\s*/g, '\n').trim();
}

/**
 * The text an element holds as `textContent` (spaces collapsed), read without
 * asking the browser to lay the page out. For choosing an option while the
 * fill writes: `innerText` right after a write lays the page out again, once
 * per field. The read-back still reads what a person sees (visibleText).
 */
export function plainText(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function isShown(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  for (let node: Element | null = el; node; node = node.parentElement) {
    const style = view.getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
  }
  return true;
}

/** Dispatch events with the element's own window's constructors. */
export function fire(el: Element, type: string, init: EventInit = { bubbles: true }): void {
  const view = (el.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
  el.dispatchEvent(new view.Event(type, init));
}

const KEY_CODES: Record<string, number> = { Enter: 13, Escape: 27, Tab: 9 };

export function fireKey(el: Element, type: 'keydown' | 'keyup', key: string): void {
  const view = (el.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
  const event = new view.KeyboardEvent(type, { key, code: key, bubbles: true, cancelable: true });
  // Vue 2 era libraries (Element UI, layui) still read the deprecated keyCode.
  const keyCode = KEY_CODES[key] ?? 0;
  Object.defineProperty(event, 'keyCode', { get: () => keyCode });
  Object.defineProperty(event, 'which', { get: () => keyCode });
  el.dispatchEvent(event);
}

/** A click as UI libraries see it: the mouse events around it too (Element listens to mousedown on some parts). */
export function clickLike(el: Element): void {
  const view = (el.ownerDocument.defaultView ?? window) as Window & typeof globalThis;
  for (const type of ['mousedown', 'mouseup'] as const) el.dispatchEvent(new view.MouseEvent(type, { bubbles: true, cancelable: true, button: 0 }));
  (el as HTMLElement).click();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once the page has had its next render: the next animation frame,
 * then one task after it, by which the updates Vue, React or a jQuery widget
 * scheduled for the events just fired have run. Where frames do not run (a
 * hidden tab) it gives up on the frame after `maxMs`.
 */
export function afterRender(maxMs = 50): Promise<void> {
  return new Promise((resolve) => {
    let frame = 0;
    const next = () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      setTimeout(resolve, 0);
    };
    const timer = setTimeout(next, maxMs);
    frame = requestAnimationFrame(next);
  });
}

/** Polls `probe` until it returns something, or gives null after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | null | undefined | false, timeoutMs: number, intervalMs = 40): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) return null;
    await sleep(intervalMs);
  }
}

/** Every same-origin document under `top`, top first. */
export function allDocuments(top: Document): Document[] {
  const docs = [top];
  for (let i = 0; i < docs.length; i++) {
    for (const frame of docs[i]?.querySelectorAll('iframe, frame') ?? []) {
      try {
        const inner = (frame as HTMLIFrameElement).contentDocument;
        if (inner) docs.push(inner);
      } catch {
        // cross-origin frame: not ours to read
      }
    }
  }
  return docs;
}
