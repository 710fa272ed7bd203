/**
 * Runs in the page's own JavaScript world (injected by the extension with a
 * per-page secret) because KindEditor and UEditor keep their content in
 * editor objects only the page's scripts can reach. Kept minimal on purpose:
 * one operation, set the content of the editor bound to a marked element.
 */
import type { PageError } from '#shared/portal/reasons.ts';
import { REQUEST_EVENT, RESPONSE_EVENT, TARGET_ATTRIBUTE, parseMessage, type PageRequest, type PageResponse } from './page-protocol.ts';

interface KindEditorInstance {
  srcElement?: ArrayLike<Element>;
  html(value: string): unknown;
  sync(): unknown;
}
interface UEditorInstance {
  textarea?: Element;
  container?: Element;
  key?: string;
  setContent(html: string): unknown;
  sync?(): unknown;
}
interface EditorWindow extends Window {
  KindEditor?: { instances?: KindEditorInstance[] };
  UE?: { instants?: Record<string, UEditorInstance> };
}

/** Why the editor could not be set: a code from the fixed set the content script accepts. */
class PageWorldError extends Error {
  constructor(readonly code: PageError) {
    super(code);
  }
}

export function installPageWorld(secret: string, win: Window = window): void {
  win.addEventListener(REQUEST_EVENT, (event) => {
    const request = parseMessage<PageRequest>((event as CustomEvent<unknown>).detail, secret);
    if (!request || request.op !== 'richtext.set') return;
    let response: PageResponse;
    try {
      setRichText(win, request);
      response = { secret, id: request.id, ok: true };
    } catch (error) {
      response = { secret, id: request.id, ok: false, error: error instanceof PageWorldError ? error.code : ('failed' satisfies PageError) };
    }
    win.dispatchEvent(new CustomEvent(RESPONSE_EVENT, { detail: JSON.stringify(response) }));
  });
}

function setRichText(win: Window, request: PageRequest): void {
  const element = findMarked(win.document, request.target);
  if (!element) throw new PageWorldError('element_missing');
  const owner = element.ownerDocument.defaultView as EditorWindow | null;
  if (!owner) throw new PageWorldError('no_window');
  if (request.editor === 'kindeditor') {
    const instance = (owner.KindEditor?.instances ?? []).find((i) => i.srcElement?.[0] === element);
    if (!instance) throw new PageWorldError('no_kindeditor');
    instance.html(request.html);
    instance.sync();
    return;
  }
  const instance = Object.values(owner.UE?.instants ?? {}).find((i) => i.textarea === element || i.container === element || i.container?.contains(element));
  if (!instance) throw new PageWorldError('no_ueditor');
  instance.setContent(request.html);
  instance.sync?.();
}

/** The marked element in this document or a same-origin frame below it. */
function findMarked(doc: Document, token: string): Element | null {
  const here = doc.querySelector(`[${TARGET_ATTRIBUTE}="${token.replace(/["\\]/g, '')}"]`);
  if (here) return here;
  for (const frame of doc.querySelectorAll('iframe, frame')) {
    try {
      const inner = (frame as HTMLIFrameElement).contentDocument;
      const found = inner ? findMarked(inner, token) : null;
      if (found) return found;
    } catch {
      // cross-origin
    }
  }
  return null;
}
