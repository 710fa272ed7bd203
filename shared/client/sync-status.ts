/**
 * What the device's sync state is, in one vocabulary for both apps: the PWA's
 * sync bar and the extension's popup show the same phase for the same device
 * state, because both compute it here from the same counts.
 *
 * "Synced" is the promise the apps make to their users: the server has every
 * change and photo on disk. Work the server refused for good (its guard
 * refused a change, or it rejected a photo as too large or not an image) is
 * never sent again by itself, so it does not keep the device "syncing": the
 * phase is 'attention' until the user exports and discards it (changes) or
 * sends it again (photos). It is still unsynced — sign-out stays refused and
 * the export holds it.
 */
import type { RefusedWork } from '../local/journal.ts';
import type { UnsyncedCounts } from '../local/projection.ts';
import type { SyncEngineState } from './sync.ts';
import type { RejectedUpload, UploadProgress } from './uploads.ts';

/** The work on this device the server has not confirmed, as both apps count it. */
export interface Pending {
  /** Everything unconfirmed, refused and rejected work included: what sign-out waits for. */
  readonly unsynced: UnsyncedCounts;
  /** Events and field reports still on their way (refused ones not counted: they wait for the user). */
  readonly events: number;
  /** Orders whose unsynced changes the server refused: unsynced, exportable, never sent again by themselves. */
  readonly refused: readonly RefusedWork[];
  /** Events and field reports in `refused`. */
  readonly refusedChanges: number;
  /** Photos not yet confirmed by hash, rejected ones included. */
  readonly photos: number;
  readonly photoHashes: ReadonlySet<string>;
  /** Orders holding any of this work (events, a field report, photos): the list marks them. */
  readonly orderIds: ReadonlySet<string>;
  /** Of `photos`, those the server refused for good. */
  readonly rejected: readonly RejectedUpload[];
}

export const NOTHING_PENDING: Pending = {
  unsynced: { events: 0, intakes: 0, photos: 0 },
  events: 0,
  refused: [],
  refusedChanges: 0,
  photos: 0,
  photoHashes: new Set(),
  orderIds: new Set(),
  rejected: [],
};

/** Anything at all the server has not confirmed, refused and rejected work included: sign-out is refused then. */
export function holdsUnsynced(pending: Pending): boolean {
  const { events, intakes, photos } = pending.unsynced;
  return events + intakes + photos > 0;
}

/** Work the sync is still moving: refused changes and rejected photos are not, they wait for the user. */
export function stillSending(pending: Pending): boolean {
  return pending.events > 0 || pending.photos - pending.rejected.length > 0;
}

/** Work that waits for the user rather than for the server. */
export function needsAttention(pending: Pending): boolean {
  return pending.refused.length > 0 || pending.rejected.length > 0;
}

export const SYNC_PHASES = ['local', 'offline', 'connecting', 'syncing', 'synced', 'attention', 'signed_out'] as const;

/**
 * - `local`: a session with no server (the PWA's demo mode).
 * - `signed_out`: nobody is signed in, or the server ended the session (sign in again; the work stays).
 * - `attention`: nothing is moving, but the server refused some changes or photos for good.
 */
export type SyncPhase = (typeof SYNC_PHASES)[number];

export type SessionKind = 'none' | 'local' | 'ended' | 'active';

/** The kind of a session: none signed in, local (no server: the demo), ended by the server, or active. */
export function sessionKindOf(session: { readonly local: boolean } | null, ended: boolean): SessionKind {
  if (!session) return 'none';
  if (session.local) return 'local';
  return ended ? 'ended' : 'active';
}

/** Everything the phase depends on. */
export interface DeviceState {
  readonly session: SessionKind;
  /** The runtime's own connectivity signal (`online`/`offline` events). */
  readonly online: boolean;
  /** null while the engine is being started. */
  readonly engine: SyncEngineState | null;
  readonly pending: Pending;
  readonly upload: UploadProgress | null;
}

export interface SyncStatus {
  readonly phase: SyncPhase;
  readonly pendingEvents: number;
  readonly pendingPhotos: number;
  /** Share of the current upload batch confirmed, while photos are being sent. */
  readonly uploadProgress: number | null;
  /** Orders whose changes the server refused (its guard): they stay unsynced and exportable. */
  readonly refused: number;
  /** Photos the server refused for good (too large, not an image…): kept, unsynced, exportable, not retried. */
  readonly rejectedPhotos: readonly RejectedUpload[];
  /**
   * While 'offline': the device has a network but the server did not answer
   * ("服务器暂时无法连接"), rather than no network at all ("无网络").
   */
  readonly serverUnreachable: boolean;
  /**
   * The user's order list is on the device — arrived from the server since start, or stored at an
   * earlier sync and read back (always, for a local session): only then is an empty list known to be empty.
   */
  readonly listLoaded: boolean;
  /**
   * Every order not archived or merged is on the device: the desk's queues are complete. On a first sync
   * the open tabs' rows come first, and the closed orders of 审核/回复/回访 after them (bench/README.md,
   * "First sync, part 13"): until then those queues are still arriving. `listLoaded` implies it.
   */
  readonly deskLoaded: boolean;
}

export function syncPhase({ session, online, engine, pending }: DeviceState): SyncPhase {
  if (session === 'local') return 'local';
  if (session === 'none' || session === 'ended') return 'signed_out';
  if (!engine) return online ? 'connecting' : 'offline';
  if (engine.connection === 'signed_out') return 'signed_out';
  if (!online || engine.connection === 'offline') return 'offline';
  if (engine.connection === 'connecting') return 'connecting';
  if (engine.docsInFlight > 0 || !engine.indexLoaded || stillSending(pending)) return 'syncing';
  return needsAttention(pending) ? 'attention' : 'synced';
}

export function syncStatusOf(state: DeviceState): SyncStatus {
  const { pending, upload } = state;
  return {
    phase: syncPhase(state),
    pendingEvents: pending.events,
    pendingPhotos: pending.photos,
    uploadProgress: upload && upload.total > 0 ? upload.done / upload.total : null,
    refused: pending.refused.length,
    rejectedPhotos: pending.rejected,
    serverUnreachable: state.online && state.engine?.connection === 'offline',
    listLoaded: state.session === 'local' || (state.engine?.listStored ?? false),
    deskLoaded: state.session === 'local' || (state.engine ? state.engine.listStored || state.engine.liveLoaded : false),
  };
}

export function samePending(a: Pending, b: Pending): boolean {
  return (
    a.unsynced.events === b.unsynced.events &&
    a.unsynced.intakes === b.unsynced.intakes &&
    a.unsynced.photos === b.unsynced.photos &&
    a.events === b.events &&
    a.refusedChanges === b.refusedChanges &&
    a.refused.length === b.refused.length &&
    a.refused.every((r, i) => r.orderId === b.refused[i]?.orderId && r.at === b.refused[i]?.at) &&
    a.photos === b.photos &&
    a.photoHashes.size === b.photoHashes.size &&
    [...a.photoHashes].every((h) => b.photoHashes.has(h)) &&
    a.orderIds.size === b.orderIds.size &&
    [...a.orderIds].every((id) => b.orderIds.has(id)) &&
    sameRejected(a.rejected, b.rejected)
  );
}

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.phase === b.phase &&
    a.pendingEvents === b.pendingEvents &&
    a.pendingPhotos === b.pendingPhotos &&
    a.uploadProgress === b.uploadProgress &&
    a.refused === b.refused &&
    a.serverUnreachable === b.serverUnreachable &&
    a.listLoaded === b.listLoaded &&
    a.deskLoaded === b.deskLoaded &&
    sameRejected(a.rejectedPhotos, b.rejectedPhotos)
  );
}

function sameRejected(a: readonly RejectedUpload[], b: readonly RejectedUpload[]): boolean {
  return a.length === b.length && a.every((r, i) => r.sha256 === b[i]?.sha256 && r.at === b[i]?.at);
}
