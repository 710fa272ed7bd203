/**
 * The panel's one door to the DOM engine (extension/lib/portal) and to the
 * adapters: which adapter page this is, what the order page says, and
 * filling the reply form. Photos and the page-world script come through the
 * background; nothing the page itself says is trusted as an instruction.
 */
import type { OrderField, PortalAdapter } from '../../../shared/portal/adapter.ts';
import { toOrderRecord, type RawOrderTexts } from '../../../shared/portal/order-record.ts';
import { parseAdapter } from '../../../shared/portal/parse.ts';
import type { PlannedField } from '../../../shared/portal/reply-plan.ts';
import { pagesForUrl, type PageKind } from '../../../shared/portal/url.ts';
import { normalizeText } from '../../../shared/portal/vocabulary.ts';
import type { FieldError } from '../../../shared/validation/result.ts';
import { resolveFrame, visibleText } from '../../lib/portal/dom.ts';
import { fillReply as engineFill, type FieldStatus } from '../../lib/portal/fill.ts';
import { locate } from '../../lib/portal/locate.ts';
import { createPageBridge, randomToken, type PageBridge } from '../../lib/portal/page-bridge.ts';
import { ask } from '../../lib/messaging.ts';
import type { PortalOrder } from '../../lib/protocol.ts';

export interface RecognisedPage {
  readonly adapter: PortalAdapter;
  readonly kind: PageKind;
  readonly top: Document;
}

export interface FieldOutcome {
  readonly key: string;
  readonly status: FieldStatus;
  readonly ok: boolean;
  readonly reason: string | null;
}

/** Imported adapters win over built-in ones with the same id (an admin fixed a changed portal). */
export async function loadAdapters(): Promise<PortalAdapter[]> {
  const { builtIn, imported } = await ask('adapters.list', {});
  const parsed = [...imported, ...builtIn].flatMap((raw) => {
    const result = parseAdapter(raw);
    return result.ok ? [result.value] : [];
  });
  const seen = new Set<string>();
  return parsed.filter((a) => !seen.has(a.id) && seen.add(a.id));
}

/** The first adapter page whose URL pattern and page check both match. */
export async function recognisePage(adapters: readonly PortalAdapter[], top: Document, url: string): Promise<RecognisedPage | null> {
  for (const candidate of pagesForUrl(adapters, url)) {
    const { check } = candidate.page;
    const frame = resolveFrame(top, check.frame);
    if (!frame.ok) continue;
    let elements: Element[];
    try {
      elements = [...frame.doc.querySelectorAll(check.selector)];
    } catch {
      continue;
    }
    const wanted = check.text ? normalizeText(check.text) : null;
    if (elements.some((el) => wanted === null || normalizeText(el.textContent ?? '').includes(wanted))) {
      return { adapter: candidate.adapter, kind: candidate.kind, top };
    }
  }
  return null;
}

function readTexts(page: RecognisedPage, only?: readonly OrderField[]): { raw: RawOrderTexts; problems: FieldError[] } {
  const raw: RawOrderTexts = {};
  const problems: FieldError[] = [];
  for (const field of page.adapter.order?.fields ?? []) {
    if (only && !only.includes(field.key)) continue;
    const found = locate(page.top, field.locators, 'read');
    if (found.ok) raw[field.key] = visibleText(found.element);
    else if (!field.optional) problems.push({ field: field.key, message: found.reason });
  }
  return { raw, problems };
}

/** The order page's fields as a record for the clerk to check, with every field that could not be read or understood. */
export async function readOrderRecord(page: RecognisedPage): Promise<{ record: PortalOrder; problems: FieldError[] }> {
  const { raw, problems } = readTexts(page);
  const result = toOrderRecord(page.adapter, raw);
  const all = [...problems, ...result.problems.filter((p) => !problems.some((q) => q.field === p.field))];
  return { record: result.record, problems: all };
}

/** The order number shown on a reply page, when the adapter says where it is. */
export async function readOrderNo(page: RecognisedPage): Promise<string | null> {
  const { raw } = readTexts(page, ['orderNo']);
  const value = raw.orderNo?.replace(/\s/g, '') ?? '';
  return /^[A-Za-z0-9-]{4,40}$/.test(value) ? value : null;
}

const PAGE_EDITORS = new Set(['kindeditor', 'ueditor']);

export async function fillReply(page: RecognisedPage, plan: readonly PlannedField[]): Promise<FieldOutcome[]> {
  const photos = new Map<string, Blob>();
  for (const planned of plan) {
    if (planned.value.type !== 'files') continue;
    for (const photo of planned.value.photos) {
      if (photos.has(photo.sha256)) continue;
      const data = await ask('photos.get', { sha256: photo.sha256 });
      photos.set(photo.sha256, new Blob([fromBase64(data.base64)], { type: data.mime }));
    }
  }
  const needsPage = plan.some((p) => p.field.widget.kind === 'richtext' && PAGE_EDITORS.has(p.field.widget.editor));
  const report = await engineFill(page.top, plan, { photos, ...(needsPage ? { bridge: await pageBridge() } : {}) });
  return report.fields.map((f) => ({ key: f.key, status: f.status, ok: f.status !== 'failed', reason: f.reason ?? null }));
}

let bridge: PageBridge | null = null;

/** One page-world script per page, installed with a secret only this content script knows. */
async function pageBridge(): Promise<PageBridge> {
  if (bridge) return bridge;
  const secret = randomToken();
  await ask('page.installWorld', { secret });
  bridge = createPageBridge(window, secret);
  return bridge;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
