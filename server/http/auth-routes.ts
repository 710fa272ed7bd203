/** POST /api/login · POST /api/logout · GET /api/me */
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import { UserIdSchema, type User } from '#shared/org/roles.ts';
import { placeOfUnit, type UnitPlace } from '#shared/org/units.ts';
import { validate } from '#shared/validation/result.ts';
import type { Session } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { log } from '../log.ts';
import { bearerToken, HttpError, readJson, sendJson, type Route } from './http.ts';

const LoginSchema = v.object({
  username: UserIdSchema,
  password: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(200)),
});

export async function requireSession(services: Services, req: IncomingMessage): Promise<Session> {
  const session = await services.sessions.authenticate(bearerToken(req));
  if (!session) {
    throw new HttpError(401, 'unauthenticated', 'sign in: send Authorization: Bearer <token> from POST /api/login', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  return session;
}

/** The user's place in the org tree, for the device (a field report names it). */
function placeOf(services: Services, user: User): UnitPlace | null {
  return placeOfUnit(services.directory.tree, user.unitId);
}

const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 5 * 60 * 1000;

export function authRoutes(services: Services): Route[] {
  const failures = new Map<string, { count: number; since: number }>();

  return [
    {
      method: 'POST',
      path: '/api/login',
      handler: async ({ req, res }) => {
        const body = validate(LoginSchema, await readJson(req, 16 * 1024));
        if (!body.ok) throw new HttpError(400, 'invalid', 'username and password are required', { field: body.errors[0]?.field ?? '', errors: body.errors });
        const { username, password } = body.value;
        const now = Date.now();
        const record = failures.get(username);
        if (record && now - record.since < FAILURE_WINDOW_MS && record.count >= MAX_FAILURES) {
          throw new HttpError(429, 'too_many_attempts', 'too many failed sign-ins; wait a few minutes', {
            headers: { 'Retry-After': String(Math.ceil((record.since + FAILURE_WINDOW_MS - now) / 1000)) },
          });
        }
        const result = await services.sessions.login(username, password);
        if (!result) {
          const fresh = !record || now - record.since >= FAILURE_WINDOW_MS;
          failures.set(username, { count: fresh ? 1 : record.count + 1, since: fresh ? now : record.since });
          if (failures.size > 10_000) failures.clear();
          log.warn('login_failed', { user: username });
          throw new HttpError(401, 'bad_credentials', 'wrong username or password');
        }
        failures.delete(username);
        log.info('login', { user: username });
        const { user, expiresAt } = result.session;
        sendJson(res, 200, { token: result.token, user, place: placeOf(services, user), expiresAt, serverTime: Date.now() });
      },
    },
    {
      method: 'POST',
      path: '/api/logout',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        // Ends it everywhere: this instance's sockets carrying it close, the others hear it on the bus.
        await services.sessions.logout(session.tokenHash);
        log.info('logout', { user: session.user.id });
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
      },
    },
    {
      method: 'GET',
      path: '/api/me',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        sendJson(res, 200, { user: session.user, place: placeOf(services, session.user), expiresAt: session.expiresAt, serverTime: Date.now() });
      },
    },
  ];
}
