/**
 * Document names. One Y.Doc per order (`order:<id>`): the order is the unit of
 * consistency, of access and of sync. Index docs list the orders of a scope:
 * `grid:<id>`, `community:<id>` and `street:<id>` (shared/org/scope.ts
 * `indexUnitsFor` says which list an order).
 */
export type IndexKind = 'grid' | 'community' | 'street';
/**
 * An index doc is live (`street:<id>`) or the archive of one CST month
 * (`street:<id>:archive:YYYY-MM`, shared/order/index-placement.ts): `archive`
 * names the month. Both are authorised by the unit alone.
 */
export type DocRef = { kind: 'order'; id: string } | { kind: IndexKind; id: string; archive?: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The map in an index doc that holds one `OrderSummary` per order id; only the server writes it. */
export const INDEX_ORDERS_MAP = 'orders';

export const orderDocName = (orderId: string): string => `order:${orderId}`;
export const gridIndexDocName = (gridId: string): string => `grid:${gridId}`;
export const streetIndexDocName = (streetId: string): string => `street:${streetId}`;
export const communityIndexDocName = (communityId: string): string => `community:${communityId}`;

/** The archive of `month` (`YYYY-MM`) of the live index doc `liveName`. */
export const archiveIndexDocName = (liveName: string, month: string): string => `${liveName}:archive:${month}`;

const ARCHIVE = /^([A-Za-z0-9_-]{1,64}):archive:(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** True for an order doc's name (what `orderDocName` makes); index docs and junk are not. */
export const isOrderDocName = (name: string): boolean => parseDocName(name)?.kind === 'order';

/** A live index doc (`grid:<id>`, `community:<id>`, `street:<id>`), not an archive month's. */
export function isLiveIndexDocName(name: string): boolean {
  const ref = parseDocName(name);
  return ref !== null && ref.kind !== 'order' && ref.archive === undefined;
}

export function parseDocName(name: string): DocRef | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  const archive = ARCHIVE.exec(id);
  if (archive && (kind === 'grid' || kind === 'community' || kind === 'street')) return { kind, id: archive[1]!, archive: archive[2]! };
  if (!ID.test(id)) return null;
  if (kind === 'order' || kind === 'grid' || kind === 'community' || kind === 'street') return { kind, id };
  return null;
}
