/**
 * The clerk's session in the background. Everything that matters is on disk —
 * the token, user and clock offset in the IndexedDB `session` table, the
 * server URL in extension storage — so a service worker that Chrome stopped
 * picks the session up again where it left it.
 */
import { ApiError, LianxinApi } from '#shared/client/api.ts';
import { loadSession, saveSession } from '#shared/client/session.ts';
import { getSessionValue, type LianxinDb } from '#shared/local/db.ts';
import { allSynced } from '#shared/local/projection.ts';
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

export class SessionService {
  constructor(
    private readonly db: LianxinDb,
    /** Forget the signed-in user's data on this device; false, changing nothing, while anything is unsynced unless forced. */
    private readonly forgetData: (force: boolean) => Promise<boolean>,
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

  async signIn(serverUrl: string, username: string, password: string): Promise<ActiveSession> {
    const base = serverUrl.replace(/\/+$/, '');
    const api = new LianxinApi({ baseUrl: base, now: this.now });
    let result;
    try {
      result = await api.login(username, password);
    } catch (error) {
      throw asRequestError(error);
    }
    // The previous user's data stays while their token is dropped (expired); another user must not inherit it.
    const previous = await getSessionValue(this.db, 'user');
    if (previous && previous.id !== result.user.id && !(await this.forgetData(false))) {
      throw new RequestError('unsynced', `本机还有 ${previous.name} 未同步的工作，请先用该账号登录并同步`);
    }
    await saveSession(this.db, result, randomBytes);
    await serverUrlItem.setValue(base);
    return { serverUrl: base, token: result.token, user: result.user, api };
  }

  /**
   * End the session on the server (best effort: offline, the token simply
   * expires there). The caller stops sync and forgets the local data.
   */
  async endOnServer(): Promise<void> {
    const session = await this.active();
    if (!session) return;
    await session.api.logout(session.token).catch((error: unknown) => {
      if (!(error instanceof ApiError) || !(error.offline || error.unauthenticated)) throw asRequestError(error);
    });
  }

  /** The server no longer knows the token: forget it and keep the data, so nothing unsynced is lost; signing in again resumes. */
  async dropToken(): Promise<void> {
    await this.db.session.bulkDelete(['token', 'tokenExpiresAt']);
  }

  /** Sign out: end the session on the server, then forget the data. False when refused because something is unsynced. */
  async signOut(discardUnsynced: boolean): Promise<boolean> {
    const session = await this.active();
    if (!discardUnsynced && !(await allSynced(this.db))) return false;
    if (session) await this.endOnServer();
    return this.forgetData(discardUnsynced);
  }
}

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

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
