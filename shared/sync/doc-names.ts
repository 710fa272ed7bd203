/**
 * Document names. One Y.Doc per order (`order:<id>`): the order is the unit of
 * consistency, of access and of sync. Index docs list the orders of a scope:
 * `grid:<id>`, `community:<id>` and `street:<id>` (shared/org/scope.ts
 * `indexUnitsFor` says which list an order).
 */
export type IndexKind = 'grid' | 'community' | 'street';
export type DocRef = { kind: 'order'; id: string } | { kind: IndexKind; id: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The map in an index doc that holds one `OrderSummary` per order id; only the server writes it. */
export const INDEX_ORDERS_MAP = 'orders';

export const orderDocName = (orderId: string): string => `order:${orderId}`;
export const gridIndexDocName = (gridId: string): string => `grid:${gridId}`;
export const streetIndexDocName = (streetId: string): string => `street:${streetId}`;
export const communityIndexDocName = (communityId: string): string => `community:${communityId}`;

/** True for an order doc's name (what `orderDocName` makes); index docs and junk are not. */
export const isOrderDocName = (name: string): boolean => parseDocName(name)?.kind === 'order';

export function parseDocName(name: string): DocRef | null {
  const colon = name.indexOf(':');
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!ID.test(id)) return null;
  if (kind === 'order' || kind === 'grid' || kind === 'community' || kind === 'street') return { kind, id };
  return null;
}
