/**
 * Seeing the clerk's own submit of a reply form: the portal's success sign
 * (the adapter's `reply.submitted`) appearing, or a form on the page really
 * submitted (a trusted `submit` event: a page cannot fake one). The engine
 * never submits; this only lets the panel offer 标记已回复 once the portal
 * has the reply.
 */
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import { allDocuments } from './dom.ts';
import { checkPasses } from './recognise.ts';

/** The portal shows its "submitted" sign now. False when the adapter names none. */
export function submittedShown(top: Document, adapter: PortalAdapter): boolean {
  const sign = adapter.reply?.submitted;
  return sign !== undefined && checkPasses(top, sign);
}

export interface SubmitWatch {
  /** Whether a submit was seen since the watch began: the sign appeared (it was not there at the start), or a form was submitted. */
  seen(): boolean;
  stop(): void;
}

/** Starts watching for the clerk's submit of the reply page `top` shows now. */
export function watchSubmit(top: Document, adapter: PortalAdapter): SubmitWatch {
  const signBefore = submittedShown(top, adapter);
  let submitted = false;
  const onSubmit = (event: Event) => {
    if (event.isTrusted) submitted = true;
  };
  const watched = new Set<Document>();
  const listen = () => {
    // Frames load and reload: every same-origin document the page has now.
    for (const doc of allDocuments(top)) {
      if (watched.has(doc)) continue;
      doc.addEventListener('submit', onSubmit, true);
      watched.add(doc);
    }
  };
  listen();
  return {
    seen() {
      listen();
      return submitted || (!signBefore && submittedShown(top, adapter));
    },
    stop() {
      for (const doc of watched) doc.removeEventListener('submit', onSubmit, true);
      watched.clear();
    },
  };
}
