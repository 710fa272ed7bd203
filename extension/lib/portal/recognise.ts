/** Which adapter's page, if any, the current page is: URL patterns, then the page check. */
import type { PageCheck, PageMatch, PortalAdapter } from '#shared/portal/adapter.ts';
import { pagesForUrl, type PageKind } from '#shared/portal/url.ts';
import { normalizeText } from '#shared/portal/vocabulary.ts';
import { resolveFrame } from './dom.ts';

export interface RecognisedPage {
  readonly adapter: PortalAdapter;
  readonly kind: PageKind;
}

export function recognisePage(top: Document, url: string, adapters: readonly PortalAdapter[]): RecognisedPage | null {
  for (const candidate of pagesForUrl(adapters, url)) {
    if (pageCheckPasses(top, candidate.page)) return { adapter: candidate.adapter, kind: candidate.kind };
  }
  return null;
}

export function pageCheckPasses(top: Document, page: PageMatch): boolean {
  return checkPasses(top, page.check);
}

/** The element `check` names is on the page (in its frame), holding its text if it names one. */
export function checkPasses(top: Document, check: PageCheck): boolean {
  const frame = resolveFrame(top, check.frame);
  if (!frame.ok) return false;
  let elements: Element[];
  try {
    elements = [...frame.doc.querySelectorAll(check.selector)];
  } catch {
    return false;
  }
  const wanted = check.text;
  return elements.some((el) => wanted === undefined || normalizeText(el.textContent ?? '').includes(normalizeText(wanted)));
}
