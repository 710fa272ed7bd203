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
 * names the month. A live index doc comes in generations (docs/SERVER.md,
 * "Index docs in generations"): generation 0 is `street:<id>` itself, generation
 * n > 0 `street:<id>:gen:<n>`, and `generation` says which (absent for 0). All
 * are authorised by the unit alone, a generation exactly as its base.
 */
export type DocRef = { kind: 'order'; id: string } | { kind: IndexKind; id: string; archive?: string; generation?: number };

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
/** A generation after the first: a positive decimal without leading zeros, so one generation has one name. */
const GENERATION = /^([A-Za-z0-9_-]{1,64}):gen:([1-9]\d{0,8})$/;

/** The index doc a live index doc's meta map is in: the map the server writes `NEXT_GENERATION_KEY` into. */
export const INDEX_META_MAP = 'meta';
/** In a superseded generation's meta map: the name of the generation that replaced it. */
export const NEXT_GENERATION_KEY = 'next';
/** In a generation after the first: the name of the one it was filled from (written with the copy of its entries). */
export const PREVIOUS_GENERATION_KEY = 'previous';

/**
 * Generation `generation` of the live index doc `baseName` (`street:<id>` → `street:<id>:gen:<n>`; 0 is the base
 * itself, so nothing stored before generations moved). The only place these names are made.
 */
export function indexGenerationDocName(baseName: string, generation: number): string {
  if (!Number.isInteger(generation) || generation < 0) throw new Error(`bad index generation ${generation}`);
  return generation === 0 ? baseName : `${baseName}:gen:${generation}`;
}

/** A live index doc's base name and generation (`street:<id>:gen:3` → `street:<id>`, 3); null for anything else. */
export function liveIndexGeneration(name: string): { readonly base: string; readonly generation: number } | null {
  const ref = parseDocName(name);
  if (ref === null || ref.kind === 'order' || ref.archive !== undefined) return null;
  const generation = ref.generation ?? 0;
  return { base: `${ref.kind}:${ref.id}`, generation };
}

/** True for an order doc's name (what `orderDocName` makes); index docs and junk are not. */
export const isOrderDocName = (name: string): boolean => parseDocName(name)?.kind === 'order';

/** A live index doc (`grid:<id>`, `community:<id>`, `street:<id>`, or a generation of one), not an archive month's. */
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
  const generation = GENERATION.exec(id);
  if (generation && (kind === 'grid' || kind === 'community' || kind === 'street')) return { kind, id: generation[1]!, generation: Number(generation[2]) };
  if (!ID.test(id)) return null;
  if (kind === 'order' || kind === 'grid' || kind === 'community' || kind === 'street') return { kind, id };
  return null;
}
