/**
 * Import of the organisation tree and users, from JSON
 * (`{ "units": [...], "users": [...] }`) or CSV (a units file with the header
 * `id,kind,name,parentId`, a users file with `id,name,role,unitId,password`).
 * Everything is checked before anything is written; each error names the
 * file, the row and the field.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as v from 'valibot';
import { ROLE_UNIT_KIND, UserSchema } from '#shared/org/roles.ts';
import { buildOrgTree, UnitSchema, type Unit } from '#shared/org/units.ts';
import { validate } from '#shared/validation/result.ts';
import { parseCsv } from '#shared/util/csv.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import type { Store, StoredUser } from '../store/store.ts';

export const ImportUserSchema = v.object({
  ...UserSchema.entries,
  /** Plain text, hashed on import; omitted keeps an existing user's password. */
  password: v.optional(v.pipe(v.string(), v.minLength(8, 'at least 8 characters'), v.maxLength(200))),
  disabled: v.optional(v.boolean(), false),
});
export type ImportUser = v.InferOutput<typeof ImportUserSchema>;

export interface ImportRows {
  readonly units: readonly { readonly where: string; readonly value: unknown }[];
  readonly users: readonly { readonly where: string; readonly value: unknown }[];
}

export class ImportError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`import refused, nothing was written:\n  ${problems.join('\n  ')}`);
  }
}

/** Read one file into rows, each with where it came from ("users.csv row 4"). */
export async function readImportFile(path: string): Promise<ImportRows> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const name = basename(path);
  if (/\.json$/i.test(path) || /^\s*[{[]/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ImportError([`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
    }
    const object = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
    if (!object) throw new ImportError([`${name}: expected an object with "units" and/or "users" arrays`]);
    const list = (key: string) => {
      const value = object[key];
      if (value === undefined) return [];
      if (!Array.isArray(value)) throw new ImportError([`${name}: "${key}" must be an array`]);
      return value.map((item: unknown, i) => ({ where: `${name} ${key}[${i}]`, value: item }));
    };
    return { units: list('units'), users: list('users') };
  }
  const rows = parseCsv(text);
  const header = rows.shift()?.map((h) => h.trim()) ?? [];
  const records = rows
    .map((cells, i) => ({ line: i + 2, cells }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ line, cells }) => {
      const record: Record<string, string> = {};
      header.forEach((key, j) => {
        const cell = (cells[j] ?? '').trim();
        if (cell !== '') record[key] = cell;
      });
      return { where: `${name} row ${line}`, record };
    });
  if (header.includes('kind') && header.includes('parentId')) {
    return { units: records.map(({ where, record }) => ({ where, value: { ...record, parentId: record.parentId ?? null } })), users: [] };
  }
  if (header.includes('role') && header.includes('unitId')) {
    return {
      units: [],
      users: records.map(({ where, record }) => ({ where, value: { ...record, ...(record.disabled ? { disabled: record.disabled === 'true' || record.disabled === '1' } : {}) } })),
    };
  }
  throw new ImportError([`${name}: unknown CSV header (${header.join(',')}); expected id,kind,name,parentId or id,name,role,unitId,password`]);
}

/** Check rows against the schemas, the existing tree and each other. */
export function checkImport(rows: ImportRows, existingUnits: readonly Unit[]): { units: Unit[]; users: ImportUser[] } {
  const problems: string[] = [];
  const units: Unit[] = [];
  const seenUnits = new Map<string, string>();
  for (const { where, value } of rows.units) {
    const result = validate(UnitSchema, value);
    if (!result.ok) {
      for (const e of result.errors) problems.push(`${where}${idOf(value)}: ${e.field || 'unit'}: ${e.message}`);
      continue;
    }
    const earlier = seenUnits.get(result.value.id);
    if (earlier) problems.push(`${where} (${result.value.id}): id: already used by ${earlier}`);
    seenUnits.set(result.value.id, where);
    units.push(result.value);
  }
  const merged = new Map(existingUnits.map((u) => [u.id, u] as const));
  for (const unit of units) merged.set(unit.id, unit);
  for (const unit of units) {
    if (unit.parentId === null) {
      if (unit.kind !== 'city') problems.push(`${seenUnits.get(unit.id)} (${unit.id}): parentId: only the city has no parent`);
      continue;
    }
    const parent = merged.get(unit.parentId);
    if (!parent) problems.push(`${seenUnits.get(unit.id)} (${unit.id}): parentId: unknown unit ${unit.parentId}`);
  }
  if (problems.length === 0) {
    try {
      buildOrgTree([...merged.values()]);
    } catch (error) {
      problems.push(`units: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const users: ImportUser[] = [];
  const seenUsers = new Map<string, string>();
  for (const { where, value } of rows.users) {
    const result = validate(ImportUserSchema, value);
    if (!result.ok) {
      for (const e of result.errors) problems.push(`${where}${idOf(value)}: ${e.field || 'user'}: ${e.message}`);
      continue;
    }
    const user = result.value;
    const earlier = seenUsers.get(user.id);
    if (earlier) problems.push(`${where} (${user.id}): id: already used by ${earlier}`);
    seenUsers.set(user.id, where);
    const unit = merged.get(user.unitId);
    if (!unit) problems.push(`${where} (${user.id}): unitId: unknown unit ${user.unitId}`);
    else if (unit.kind !== ROLE_UNIT_KIND[user.role]) {
      problems.push(`${where} (${user.id}): unitId: a ${user.role} belongs to a ${ROLE_UNIT_KIND[user.role]}, but ${unit.id} is a ${unit.kind}`);
    }
    users.push(user);
  }
  if (problems.length > 0) throw new ImportError(problems);
  return { units, users };
}

/** Import files into the store: all checked first, then written. */
export async function importFiles(store: Store, paths: readonly string[]): Promise<{ units: number; users: number }> {
  const units: ImportRows['units'][number][] = [];
  const users: ImportRows['users'][number][] = [];
  for (const path of paths) {
    const rows = await readImportFile(path);
    units.push(...rows.units);
    users.push(...rows.users);
  }
  return importRows(store, { units, users });
}

export async function importRows(store: Store, rows: ImportRows): Promise<{ units: number; users: number }> {
  const { units, users } = checkImport(rows, await store.listUnits());
  const stored: StoredUser[] = [];
  for (const user of users) {
    stored.push({
      id: user.id,
      name: user.name,
      role: user.role,
      unitId: user.unitId,
      passwordHash: user.password === undefined ? null : await newPasswordHash(store, user.id, user.password),
      disabled: user.disabled,
    });
  }
  // Parents before children, so a reader never sees a unit whose parent is missing.
  const depth = (unit: Unit): number => ['city', 'district', 'street', 'community', 'grid'].indexOf(unit.kind);
  await store.upsertUnits([...units].sort((a, b) => depth(a) - depth(b)));
  await store.upsertUsers(stored);
  return { units: units.length, users: stored.length };
}

/**
 * The hash to store for an imported password, or null when the user already
 * has exactly this password: re-running an import with the same passwords
 * must not count as a password change (which ends the user's sessions).
 */
async function newPasswordHash(store: Store, userId: string, password: string): Promise<string | null> {
  const existing = await store.getUser(userId);
  if (existing?.passwordHash && (await verifyPassword(password, existing.passwordHash))) return null;
  return hashPassword(password);
}

function idOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? ` (${value.id})` : '';
}
