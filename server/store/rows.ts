/** Row shapes both stores read the same way (column names are shared by their schemas). */
import type { StoredUser } from './store.ts';

export type Row = Record<string, unknown>;

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
