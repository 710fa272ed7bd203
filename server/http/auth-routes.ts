/** POST /api/login · POST /api/logout · GET /api/me */
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import { UserIdSchema, type User } from '#shared/org/roles.ts';
import { placeOfUnit, type UnitPlace } from '#shared/org/units.ts';
import { validate } from '#shared/validation/result.ts';
import type { Verdict } from '../auth/login-throttle.ts';
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

/** Throws 429 when the login throttle says this address must wait before trying a password for this account. */
export function throttled(services: Services, account: string, address: string): void {
  const verdict: Verdict = services.loginThrottle.check(account, address);
  if (verdict.ok) return;
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  services.metrics.loginThrottled.inc(verdict.rule);
  if (services.loginThrottle.firstRefusal(address)) log.warn('login_throttled', { user: account, address, rule: verdict.rule, retryAfterSeconds: seconds });
  throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${seconds} s`, { headers: { 'Retry-After': String(seconds) } });
}

export function authRoutes(services: Services): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/login',
      handler: async ({ req, res }) => {
        const body = validate(LoginSchema, await readJson(req, 16 * 1024));
        if (!body.ok) throw new HttpError(400, 'invalid', 'username and password are required', { field: body.errors[0]?.field ?? '', errors: body.errors });
        const { username, password } = body.value;
        const address = services.clientAddresses.of(req);
        throttled(services, username, address);
        const result = await services.sessions.login(username, password);
        if (!result) {
          services.loginThrottle.failed(username, address);
          log.warn('login_failed', { user: username, address });
          throw new HttpError(401, 'bad_credentials', 'wrong username or password');
        }
        services.loginThrottle.succeeded(username, address);
        log.info('login', { user: username, address });
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
