/**
 * The clerk's session in the background. Everything that matters is on disk —
 * the token, user and clock offset in the IndexedDB `session` table, the
 * server URL in extension storage — so a service worker that Chrome stopped
 * picks the session up again where it left it.
 */
import { ApiError, LianxinApi } from '../../../shared/client/api.ts';
import { getSessionValue, setSessionValue, type LianxinDb } from '../../../shared/local/db.ts';
import type { User } from '../../../shared/org/roles.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { SessionState } from '../../lib/protocol.ts';
import { serverUrlItem } from '../../lib/settings.ts';

export interface ActiveSession {
  readonly serverUrl: string;
  readonly token: string;
  readonly user: User;
  readonly api: LianxinApi;
}

export class SessionService {
  constructor(
    private readonly db: LianxinDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** The signed-in session, or null. Read from disk each time: memory does not survive a stopped worker. */
  async active(): Promise<ActiveSession | null> {
    const [token, user, serverUrl] = await Promise.all([getSessionValue(this.db, 'token'), getSessionValue(this.db, 'user'), serverUrlItem.getValue()]);
    if (!token || !user) return null;
    return { serverUrl, token, user, api: new LianxinApi({ baseUrl: serverUrl, now: this.now }) };
  }

  async require(): Promise<ActiveSession> {
    const session = await this.active();
    if (!session) throw new RequestError('signed_out', '请先登录连心');
    return session;
  }

  async state(): Promise<SessionState> {
    const [user, serverUrl] = await Promise.all([getSessionValue(this.db, 'user'), serverUrlItem.getValue()]);
    return { serverUrl, user: user ?? null };
  }

  async signIn(serverUrl: string, username: string, password: string): Promise<ActiveSession> {
    const base = serverUrl.replace(/\/+$/, '');
    const api = new LianxinApi({ baseUrl: base, now: this.now });
    let result;
    try {
      result = await api.login(username, password);
    } catch (error) {
      throw asRequestError(error);
    }
    const previous = await getSessionValue(this.db, 'user');
    if (previous && previous.id !== result.user.id) await this.forgetLocalData();
    await this.db.transaction('rw', this.db.session, async () => {
      await setSessionValue(this.db, 'token', result.token);
      await setSessionValue(this.db, 'user', result.user);
      await setSessionValue(this.db, 'tokenExpiresAt', result.expiresAt);
      await setSessionValue(this.db, 'serverOffsetMs', result.serverTime - result.receivedAt);
    });
    await serverUrlItem.setValue(base);
    return { serverUrl: base, token: result.token, user: result.user, api };
  }

  /**
   * End the session on the server (best effort: offline, the token simply
   * expires there) and forget it here. The caller has checked nothing is
   * unsynced, or the user chose to discard it.
   */
  async signOut(): Promise<void> {
    const session = await this.active();
    if (session) {
      await session.api.logout(session.token).catch((error: unknown) => {
        if (!(error instanceof ApiError) || !(error.offline || error.unauthenticated)) throw asRequestError(error);
      });
    }
    await this.forgetLocalData();
  }

  /** The server no longer knows the token: forget it, keep the data (nothing is lost by signing in again). */
  async dropToken(): Promise<void> {
    await this.db.session.bulkDelete(['token', 'tokenExpiresAt']);
  }

  private async forgetLocalData(): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.session, db.orders, db.journal, db.intakes, db.photos, db.uploads], async () => {
      await Promise.all([db.session.clear(), db.orders.clear(), db.journal.clear(), db.intakes.clear(), db.photos.clear(), db.uploads.clear()]);
    });
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
