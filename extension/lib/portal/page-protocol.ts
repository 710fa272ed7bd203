/**
 * The message protocol between the content script (isolated world) and the
 * small page-world script that calls rich-text editor APIs living in the
 * page's own JavaScript (KindEditor, UEditor). Messages are JSON strings in
 * CustomEvents on the top window. Each carries the per-page secret the
 * content script gave the page-world script when it injected it; either side
 * drops anything without it. The page-world side can only put given text into
 * the editor bound to an element the content script marked, so a page that
 * forges requests gains nothing it could not do itself, and the content script
 * never trusts a reply for what was written: it reads the editor back.
 */
import { PAGE_ERRORS, type PageError } from '#shared/portal/reasons.ts';

export const REQUEST_EVENT = 'lianxin:portal-request';
export const RESPONSE_EVENT = 'lianxin:portal-response';
/** The attribute the content script puts on the element whose editor is meant. */
export const TARGET_ATTRIBUTE = 'data-lianxin-target';

export type PageEditor = 'kindeditor' | 'ueditor';

export interface PageRequest {
  readonly secret: string;
  readonly id: string;
  readonly op: 'richtext.set';
  readonly editor: PageEditor;
  /** Value of TARGET_ATTRIBUTE on the editor's source element (its textarea or container). */
  readonly target: string;
  /** Escaped paragraphs (shared/portal/richtext.ts textToParagraphHtml). */
  readonly html: string;
}

export interface PageResponse {
  readonly secret: string;
  readonly id: string;
  readonly ok: boolean;
  /** One of PAGE_ERRORS; whatever else the page sends is read as 'failed' (pageError), never shown as it is. */
  readonly error?: string;
}

/** The page world's error as a code from the fixed set: its words never reach the clerk. */
export function pageError(error: unknown): PageError {
  return PAGE_ERRORS.find((code) => code === error) ?? 'failed';
}

export function parseMessage<T extends { secret: string; id: string }>(detail: unknown, secret: string): T | null {
  if (typeof detail !== 'string' || detail.length > 1_000_000) return null;
  try {
    const value = JSON.parse(detail) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const message = value as Partial<T>;
    return message.secret === secret && typeof message.id === 'string' ? (message as T) : null;
  } catch {
    return null;
  }
}
