import * as v from 'valibot';
import { UnitIdSchema } from './units.ts';

export const ROLES = ['grid_worker', 'community_handler', 'street_clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The unit kind a user of each role belongs to. */
export const ROLE_UNIT_KIND = {
  grid_worker: 'grid',
  community_handler: 'community',
  street_clerk: 'street',
  supervisor: 'district',
  admin: 'city',
} as const satisfies Record<Role, string>;

/**
 * A user id becomes part of the id of each of the user's devices in event
 * stamps (`dev-<user>` and the like, `shared/clock/hlc.ts`), where '.' is the
 * separator and 64 characters the limit: so no '.', and room left for a prefix.
 */
export const USER_ID_MAX = 48;
export const UserIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,48}$/, `letters, digits, "_" or "-", at most ${USER_ID_MAX}`),
);

export const UserSchema = v.object({
  id: UserIdSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(50)),
  role: v.picklist(ROLES),
  /** The grid, community, street, district or city the user works for. */
  unitId: UnitIdSchema,
});
export type User = v.InferOutput<typeof UserSchema>;
