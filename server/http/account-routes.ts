/**
 * Accounts, changed while the server runs:
 *
 *   POST /api/password                   {currentPassword, newPassword} — your own; ends your other sessions
 *   POST /api/admin/users/:id/disable    admin only; ends all the user's sessions
 *   POST /api/admin/users/:id/enable     admin only
 *
 * Each change ends the affected sessions at once on every instance
 * (server/auth/sessions.ts). The admin command (`server/admin.ts import`, with
 * `disabled` or a new password) does the same through the store; running
 * servers see it within SESSION_RECHECK.
 */
import * as v from 'valibot';
import { UserIdSchema } from '#shared/org/roles.ts';
import { validate } from '#shared/validation/result.ts';
import type { Services } from '../services.ts';
import { log } from '../log.ts';
import { requireSession, throttled } from './auth-routes.ts';
import { HttpError, readJson, sendJson, type Route } from './http.ts';

const PasswordSchema = v.object({
  currentPassword: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
  newPassword: v.pipe(v.string(), v.minLength(8, 'at least 8 characters'), v.maxLength(200)),
});

export function accountRoutes(services: Services): Route[] {
  const setDisabled = (disabled: boolean): Route => ({
    method: 'POST',
    path: `/api/admin/users/:id/${disabled ? 'disable' : 'enable'}`,
    handler: async ({ req, res, params }) => {
      req.resume();
      const session = await requireSession(services, req);
      if (session.user.role !== 'admin') throw new HttpError(403, 'forbidden', 'only an admin may disable or enable accounts');
      const id = v.safeParse(UserIdSchema, params.id);
      if (!id.success) throw new HttpError(400, 'invalid', 'not a user id', { field: 'id' });
      if (disabled && id.output === session.user.id) throw new HttpError(400, 'invalid', 'an admin cannot disable their own account', { field: 'id' });
      if (!(await services.sessions.setDisabled(id.output, disabled))) throw new HttpError(404, 'not_found', `no user ${id.output}`);
      log.info(disabled ? 'user_disabled' : 'user_enabled', { user: id.output, by: session.user.id });
      sendJson(res, 200, { id: id.output, disabled });
    },
  });

  return [
    {
      method: 'POST',
      path: '/api/password',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        const body = validate(PasswordSchema, await readJson(req, 16 * 1024));
        if (!body.ok) throw new HttpError(400, 'invalid', `${body.errors[0]!.field}: ${body.errors[0]!.message}`, { field: body.errors[0]!.field, errors: body.errors });
        const { currentPassword, newPassword } = body.value;
        if (currentPassword === newPassword) throw new HttpError(400, 'invalid', 'newPassword: must differ from the current password', { field: 'newPassword' });
        // A stolen token must not become a way to guess the password: the login throttle applies.
        const address = services.clientAddresses.of(req);
        throttled(services, session.user.id, address);
        const outcome = await services.sessions.changePassword(session, currentPassword, newPassword);
        if (outcome === 'wrong_password') {
          services.loginThrottle.failed(session.user.id, address);
          log.warn('password_change_failed', { user: session.user.id, address });
          // 403, not 401: the session is fine, only the current password was wrong.
          throw new HttpError(403, 'wrong_password', 'the current password is wrong', { field: 'currentPassword' });
        }
        log.info('password_changed', { user: session.user.id, address });
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
      },
    },
    setDisabled(true),
    setDisabled(false),
  ];
}
