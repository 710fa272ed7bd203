/**
 * GET /api/org — the part of the organisation a user works in: their unit,
 * every unit above it and every unit below it. The extension's 派单 picks a
 * grid from the street's tree with it; nothing outside the user's branch is
 * listed (admins, at the city, see the whole tree). `people` are the active
 * users of those units (id, name, role, unit), so the apps can name who did
 * what on an order.
 *
 * GET /api/admin/users — admin only: every account, disabled ones included
 * (id, name, role, unit, disabled), for the admin page's list and search.
 * No password hash, no session.
 */
import { ancestorsOf, descendantsOf } from '#shared/org/units.ts';
import type { Services } from '../services.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, sendJson, type Route } from './http.ts';

export function orgRoutes(services: Services): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/org',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        const tree = services.directory.tree;
        const units = [...ancestorsOf(tree, session.user.unitId).reverse(), ...descendantsOf(tree, session.user.unitId)];
        const inBranch = new Set(units.map((unit) => unit.id));
        const people = (await services.store.listUsers()).flatMap((user) => (!user.disabled && inBranch.has(user.unitId) ? [{ id: user.id, name: user.name, role: user.role, unitId: user.unitId }] : []));
        sendJson(res, 200, { units, people });
      },
    },
    {
      method: 'GET',
      path: '/api/admin/users',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        if (session.user.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may list the accounts');
        const users = (await services.store.listUsers()).map((user) => ({ id: user.id, name: user.name, role: user.role, unitId: user.unitId, disabled: user.disabled }));
        sendJson(res, 200, { users });
      },
    },
  ];
}
