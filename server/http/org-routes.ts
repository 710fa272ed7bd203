/**
 * GET /api/org — the part of the organisation a user works in: their unit,
 * every unit above it and every unit below it. The extension's 派单 picks a
 * grid from the street's tree with it; nothing outside the user's branch is
 * listed (admins, at the city, see the whole tree). `people` are the active
 * users of those units (id, name, role, unit), so the apps can name who did
 * what on an order.
 *
 * `phrases` are the 常用语 units of the branch set, by unit id; devices keep
 * them with the rest for offline use (shared/order/quick-phrases.ts).
 *
 * PUT /api/org/units/:id/phrases — set a unit's 常用语 (the whole book:
 * actions, publicReply, returnReason): an admin for any unit, a street's clerk
 * for their street and its communities and grids (`mayManageUnitPhrases`).
 *
 * GET /api/admin/users — admin only: every account, disabled ones included
 * (id, name, role, unit, disabled), for the admin page's list and search.
 * No password hash, no session.
 */
import { ancestorsOf, descendantsOf } from '#shared/org/units.ts';
import { PhraseBookSchema, mayManageUnitPhrases, type PhraseBook } from '#shared/order/quick-phrases.ts';
import { validate } from '#shared/validation/result.ts';
import { log } from '../log.ts';
import type { Services } from '../services.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, readJson, sendJson, type Route } from './http.ts';

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
        const phrases: Record<string, PhraseBook> = {};
        for (const row of await services.store.listUnitPhrases()) if (inBranch.has(row.unitId)) phrases[row.unitId] = row.phrases;
        sendJson(res, 200, { units, people, phrases });
      },
    },
    {
      method: 'PUT',
      path: '/api/org/units/:id/phrases',
      handler: async ({ req, res, params }) => {
        const session = await requireSession(services, req);
        const unitId = params.id ?? '';
        if (!mayManageUnitPhrases(services.directory.tree, session.user, unitId)) {
          req.resume();
          throw new HttpError(403, 'forbidden', "only an admin, or the clerk of the unit's street, may set its phrases");
        }
        const body = validate(PhraseBookSchema, await readJson(req, 64 * 1024));
        if (!body.ok) throw new HttpError(400, 'invalid', `${body.errors[0]!.field}: ${body.errors[0]!.message}`, { field: body.errors[0]!.field, errors: body.errors });
        await services.store.setUnitPhrases({ unitId, phrases: body.value, updatedBy: session.user.id, updatedAt: Date.now() });
        log.info('unit_phrases_set', { unit: unitId, by: session.user.id });
        sendJson(res, 200, body.value);
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
