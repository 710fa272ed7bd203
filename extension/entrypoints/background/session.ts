/**
 * The clerk's session in the background. Everything that matters is on disk —
 * the token, user and clock offset in the IndexedDB `session` table, the
 * server URL in extension storage — so a service worker that Chrome stopped
 * picks the session up again where it left it. What signing in and out may
 * do to the data on the device is shared/client's `ClientSession`, the PWA's
 * too; this connects it to the server address setting and the protocol's errors.
 */
import { ApiError, LianxinApi, syncUrl } from '#shared/client/api.ts';
import { UnsyncedWorkError, type ClientSession, type Server } from '#shared/client/client-session.ts';
import { loadSession } from '#shared/client/session.ts';
import type { LianxinDb } from '#shared/local/db.ts';
import type { User } from '#shared/org/roles.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { SessionState } from '../../lib/protocol.ts';
import { serverUrlItem } from '../../lib/settings.ts';

export interface ActiveSession {
  readonly serverUrl: string;
  readonly token: string;
  readonly user: User;
  readonly api: LianxinApi;
}

export function serverOf(session: Pick<ActiveSession, 'serverUrl' | 'api'>): Server {
  return { api: session.api, syncUrl: syncUrl(session.serverUrl) };
}

export class SessionService {
  constructor(
    private readonly db: LianxinDb,
    private readonly client: ClientSession,
    private readonly now: () => number = Date.now,
  ) {}

  /** The signed-in session, or null. Read from disk each time: memory does not survive a stopped worker. */
  async active(): Promise<ActiveSession | null> {
    const [stored, serverUrl] = await Promise.all([loadSession(this.db), serverUrlItem.getValue()]);
    if (!stored || stored.token === '') return null;
    return { serverUrl, token: stored.token, user: stored.user, api: new LianxinApi({ baseUrl: serverUrl, now: this.now }) };
  }

  async require(): Promise<ActiveSession> {
    const session = await this.active();
    if (!session) throw new RequestError('signed_out', '请先登录连心');
    return session;
  }

  async state(): Promise<SessionState> {
    const [active, serverUrl] = await Promise.all([this.active(), serverUrlItem.getValue()]);
    return { serverUrl, user: active?.user ?? null };
  }

  /** Sign in and start syncing; refused while another user's unsynced work is on the device. */
  async signIn(serverUrl: string, username: string, password: string): Promise<void> {
    const base = serverUrl.replace(/\/+$/, '');
    const api = new LianxinApi({ baseUrl: base, now: this.now });
    try {
      await this.client.signIn(serverOf({ serverUrl: base, api }), username, password);
    } catch (error) {
      if (error instanceof UnsyncedWorkError) throw new RequestError('unsynced_other_user', `本机还有 ${error.owner.name} 未同步的工作，请先用该账号登录并同步`, null, { name: error.owner.name });
      throw asRequestError(error);
    }
    await serverUrlItem.setValue(base);
  }

  /** The server no longer knows the token: forget it and keep the data, so nothing unsynced is lost; signing in again resumes. */
  async dropToken(): Promise<void> {
    await this.db.session.bulkDelete(['token', 'tokenExpiresAt']);
  }

  /** Sign out: end the session on the server, then forget the data. False when refused because something is unsynced. */
  async signOut(discardUnsynced: boolean): Promise<boolean> {
    return (await this.client.signOut({ discardUnsynced })).ok;
  }
}

export function asRequestError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  if (error instanceof ApiError) {
    if (error.offline) return new RequestError('offline', '无法连接连心服务器，请检查网络或服务器地址');
    if (error.code === 'bad_credentials') return new RequestError('bad_credentials', '用户名或密码错误');
    if (error.unauthenticated) return new RequestError('unauthenticated', '登录已失效，请重新登录');
    return new RequestError(error.code, error.message, error.field);
  }
  return new RequestError('failed', error instanceof Error ? error.message : String(error));
}
