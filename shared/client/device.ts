/**
 * The last escape hatches for this device's data: an export of everything the
 * server has not confirmed (a JSON file a clerk can import), and forgetting a
 * user's data on sign-out — refused while anything is unsynced.
 *
 * The third: discarding work the server refused (its guard), once exported —
 * it will never sync, and it keeps the device from signing out.
 */
import type { LianxinDb } from '../local/db.ts';
import { discardRefused, pendingEvents } from '../local/journal.ts';
import { allSynced } from '../local/projection.ts';
import type { User } from '../org/roles.ts';
import { orderDocName, parseDocName } from '../sync/doc-names.ts';
import type { OrderDocs } from './order-docs.ts';

export const EXPORT_FORMAT = 'lianxin-unsynced/1';

export interface UnsyncedExport {
  /** Events, field reports and photos in the file. */
  readonly count: number;
  readonly blob: Blob;
  readonly name: string;
}

/**
 * Everything on this device the server has not confirmed: journalled events
 * with their order ids, field-report intakes, and photos not yet confirmed
 * by hash, with their bytes (base64).
 */
export async function exportUnsynced(db: LianxinDb, user: User | null, now: number): Promise<UnsyncedExport> {
  const [events, intakes, uploads] = await Promise.all([
    pendingEvents(db),
    db.intakes.where('unsynced').equals(1).toArray(),
    db.uploads.where('state').anyOf(['queued', 'uploading', 'failed']).toArray(),
  ]);
  const photos = [];
  for (const upload of uploads) {
    const photo = await db.photos.get(upload.sha256);
    if (!photo) continue;
    photos.push({ sha256: photo.sha256, orderId: photo.orderId, mime: photo.mime, size: photo.size, takenAt: photo.takenAt, base64: toBase64(new Uint8Array(await photo.blob.arrayBuffer())) });
  }
  const file = {
    format: EXPORT_FORMAT,
    exportedAt: now,
    user: user ? { id: user.id, name: user.name, role: user.role, unitId: user.unitId } : null,
    events: events.map((row) => ({ orderId: row.orderId, event: row.event })),
    intakes: intakes.map((row) => row.intake),
    photos,
  };
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return {
    count: file.events.length + file.intakes.length + photos.length,
    blob: new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' }),
    name: `lianxin-unsynced-${user?.id ?? 'device'}-${stamp}.json`,
  };
}

/**
 * Forget the signed-in user's data: projection, journal, photos, queue,
 * session and every y-indexeddb database (order and index docs). Returns
 * false, changing nothing, while anything is unsynced (unless `force`).
 */
export async function forgetLocalData(db: LianxinDb, docs: OrderDocs, options: { readonly force?: boolean } = {}): Promise<boolean> {
  // `force` is for data that is nobody's work (demo mode).
  if (options.force !== true && !(await allSynced(db))) return false;
  await docs.closeAll();
  const orderIds = new Set([...(await db.orders.toCollection().primaryKeys()), ...(await db.journal.toArray()).map((row) => row.orderId)]);
  const names = new Set([...orderIds].map(orderDocName));
  // Chromium and Firefox list databases; elsewhere the known order ids are enough for order docs.
  // Every doc name: orders, and index docs live and archived (community ones too).
  for (const name of (await listDatabases()) ?? []) if (parseDocName(name) !== null) names.add(name);
  await db.transaction('rw', [db.orders, db.photos, db.uploads, db.journal, db.intakes, db.session, db.notifications, db.knowledge, db.knowledgePacks, db.knowledgeTerms, db.knowledgeGone, db.knowledgeMeta, db.docSeeds, db.docSeedPacks, db.docSeedNames], async () => {
    await Promise.all([
      db.orders.clear(),
      db.photos.clear(),
      db.uploads.clear(),
      db.journal.clear(),
      db.intakes.clear(),
      db.session.clear(),
      db.notifications.clear(),
      // The knowledge base is the user's area's: the next user pulls their own.
      db.knowledge.clear(),
      db.knowledgePacks.clear(),
      db.knowledgeTerms.clear(),
      db.knowledgeGone.clear(),
      db.knowledgeMeta.clear(),
      db.docSeeds.clear(),
      db.docSeedPacks.clear(),
      db.docSeedNames.clear(),
    ]);
  });
  await Promise.all([...names].map((name) => deleteDatabase(name)));
  return true;
}

/**
 * Delete the refused unsynced work of these orders (journal rows, a field
 * report's intake) and their local doc databases, which hold the refused
 * events too and would send them again; the server's copy comes back on the
 * next open. A doc still open is not deleted: callers release it first.
 * Returns the orders discarded.
 */
export async function discardRefusedWork(db: LianxinDb, docs: OrderDocs, orderIds: readonly string[]): Promise<string[]> {
  const discarded = await discardRefused(db, orderIds);
  for (const orderId of discarded) if (!docs.isOpen(orderId)) await docs.forget(orderId);
  return discarded;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The names of this origin's IndexedDB databases as they are when asked (a database whose creation is still
 * running is not listed); null where the browser cannot list them.
 */
export async function listDatabases(): Promise<ReadonlySet<string> | null> {
  if (!indexedDB.databases) return null;
  const listed = await indexedDB.databases().catch(() => null);
  return listed && new Set(listed.flatMap((info) => (info.name ? [info.name] : [])));
}

/** Delete an IndexedDB database; resolves whatever happens (a blocked delete completes when the last connection closes). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
