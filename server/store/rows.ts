/** Row shapes both stores read the same way (column names are shared by their schemas). */
import type { DocState, LogStats, OrderRow, StoredUser, UnitPhrasesRow } from './store.ts';
import type { Unit } from '#shared/org/units.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { UNIT_PHRASES_MAX, readPhraseBook } from '#shared/order/quick-phrases.ts';

export type Row = Record<string, unknown>;

/** A unit from its row; `warningHours` only when the office set one. */
export function unitFromRow(r: Row): Unit {
  return {
    id: String(r.id),
    kind: r.kind as Unit['kind'],
    name: String(r.name),
    parentId: r.parent_id === null ? null : String(r.parent_id),
    ...(r.warning_hours === null || r.warning_hours === undefined ? {} : { warningHours: Number(r.warning_hours) }),
  };
}

/** A unit's 常用语 from their row (the phrases column is JSON, read back keeping what is well formed). */
export function unitPhrasesFromRow(r: Row): UnitPhrasesRow {
  let phrases: unknown = null;
  try {
    phrases = JSON.parse(String(r.phrases));
  } catch {
    // A damaged value reads as no phrases.
  }
  return { unitId: String(r.unit_id), phrases: readPhraseBook(phrases, UNIT_PHRASES_MAX), updatedBy: String(r.updated_by), updatedAt: Number(r.updated_at) };
}

export function userFromRow(r: Row): StoredUser {
  return {
    id: String(r.id),
    name: String(r.name),
    role: r.role as StoredUser['role'],
    unitId: String(r.unit_id),
    passwordHash: r.password_hash === null ? null : String(r.password_hash),
    disabled: Boolean(r.disabled),
  };
}

/**
 * The order columns that change over an order's life, as both stores bind
 * them (JSON as text; PostgreSQL casts it to jsonb), in the order their
 * statements name them: place, target_unit_id, past_targets, assignee,
 * participants, status, index_docs, event_count.
 */
export function mutableOrderColumns(row: OrderRow): [string, string | null, string, string | null, string, string, string, number] {
  return [
    JSON.stringify(row.place),
    row.targetUnitId,
    JSON.stringify(row.pastTargetUnitIds),
    row.assignee,
    JSON.stringify(row.participants),
    row.status,
    JSON.stringify(row.indexDocs),
    row.eventCount,
  ];
}

/**
 * Whether an import's row changes what a signed-in session of the user was
 * granted: disabled, a new password, another role or unit. Their sessions
 * end with it.
 */
export function credentialsChanged(before: StoredUser, after: StoredUser): boolean {
  return (
    after.disabled ||
    (after.passwordHash !== null && after.passwordHash !== before.passwordHash) ||
    after.role !== before.role ||
    after.unitId !== before.unitId
  );
}

/**
 * The version an imported entry is stored as: the stored version + 1 (1 when
 * new), or null when it equals the stored entry in everything but its
 * version, so importing the same file twice changes nothing on any device.
 */
export function nextKnowledgeVersion(stored: KnowledgeEntry | null, entry: KnowledgeEntry): KnowledgeEntry | null {
  if (stored && sameJson({ ...stored, version: 0 }, { ...entry, version: 0 })) return null;
  return { ...entry, version: (stored?.version ?? 0) + 1 };
}

/**
 * Equal as JSON values, whatever the order of object keys (PostgreSQL's JSONB reorders them); a key whose value is
 * undefined is as absent, and an array element that is undefined as null, as JSON writes them.
 *
 * Compared in place, with no key lists filtered and no closures: the indexer compares a row's place and three array
 * columns on every run (`sameRowColumns`), one run per update, and building those lists was ≈ 2 KB of garbage per
 * update under the fan-out's load (bench/README.md, "Fan-out, part 12").
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && sameJsonArrays(a, b);
  return sameJsonObjects(a as Record<string, unknown>, b as Record<string, unknown>);
}

function sameJsonArrays(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

function sameJsonObjects(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let defined = 0;
  for (const key of Object.keys(a)) {
    const value = a[key];
    if (value === undefined) continue;
    defined += 1;
    if (!Object.hasOwn(b, key) || !sameJson(value, b[key])) return false;
  }
  for (const key of Object.keys(b)) if (b[key] !== undefined) defined -= 1;
  return defined === 0;
}

/**
 * `loadDocs`'s answer from its rows: each name's snapshot and log entries (`updates` in each doc's log order), every
 * name present; `read` is told each doc's sizes (`LogSizes`), as `loadDoc` tells them.
 */
export function collectDocStates(
  names: readonly string[],
  snapshots: readonly { readonly doc: string; readonly data: Uint8Array }[],
  updates: readonly { readonly doc: string; readonly data: Uint8Array }[],
  read: (name: string, stats: LogStats) => void,
): Map<string, DocState> {
  const parts = new Map(names.map((name) => [name, { snapshot: null as Uint8Array | null, updates: [] as Uint8Array[] }]));
  for (const { doc, data } of snapshots) parts.get(doc)!.snapshot = new Uint8Array(data);
  for (const { doc, data } of updates) parts.get(doc)!.updates.push(new Uint8Array(data));
  for (const [name, state] of parts) {
    read(name, { snapshotBytes: state.snapshot?.length ?? 0, logEntries: state.updates.length, logBytes: state.updates.reduce((sum, u) => sum + u.length, 0) });
  }
  return parts;
}
