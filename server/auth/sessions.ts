/**
 * Bearer-token sessions. A token is 32 random bytes, given to the client once;
 * the store keeps only its SHA-256. Sessions expire after a period without use
 * (sliding): each use pushes the expiry out, written at most once a minute.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { User } from '#shared/org/roles.ts';
import type { Store } from '../store/store.ts';
import { decoyHash, verifyPassword } from './password.ts';

export type AuthUser = Pick<User, 'id' | 'name' | 'role' | 'unitId'>;

export interface Session {
  readonly user: AuthUser;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** At most this stale a cached session; also how often the sliding expiry is written. */
const REFRESH_MS = 60_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class Sessions {
  private readonly cache = new Map<string, { session: Session; checkedAt: number }>();
  private readonly refreshMs: number;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.refreshMs = Math.min(REFRESH_MS, ttlMs / 4);
  }

  /** Check a username and password; on success a new session and its token. */
  async login(username: string, password: string): Promise<{ token: string; session: Session } | null> {
    const user = await this.store.getUser(username);
    const hash = user?.passwordHash ?? (await decoyHash());
    const ok = await verifyPassword(password, hash);
    if (!user || !ok || user.disabled || user.passwordHash === null) return null;
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: Session = { user: publicUser(user), tokenHash: hashToken(token), expiresAt: now + this.ttlMs };
    await this.store.createSession({ tokenHash: session.tokenHash, userId: user.id, createdAt: now, expiresAt: session.expiresAt });
    return { token, session };
  }

  /** The session of a bearer token, or null if unknown, expired or the user was disabled. */
  async authenticate(token: string | null | undefined): Promise<Session | null> {
    if (!token || !TOKEN_PATTERN.test(token)) return null;
    const tokenHash = hashToken(token);
    const now = this.now();
    const cached = this.cache.get(tokenHash);
    if (cached && now - cached.checkedAt < this.refreshMs && cached.session.expiresAt > now) return cached.session;
    const row = await this.store.getSession(tokenHash);
    if (!row || row.expiresAt <= now) {
      this.cache.delete(tokenHash);
      return null;
    }
    const user = await this.store.getUser(row.userId);
    if (!user || user.disabled) return null;
    let expiresAt = row.expiresAt;
    if (now + this.ttlMs - row.expiresAt > this.refreshMs) {
      expiresAt = now + this.ttlMs;
      await this.store.extendSession(tokenHash, expiresAt);
    }
    const session: Session = { user: publicUser(user), tokenHash, expiresAt };
    this.cache.set(tokenHash, { session, checkedAt: now });
    if (this.cache.size > 50_000) this.cache.clear();
    return session;
  }

  async logout(tokenHash: string): Promise<void> {
    this.cache.delete(tokenHash);
    await this.store.deleteSession(tokenHash);
  }

  async sweep(): Promise<number> {
    return this.store.deleteExpiredSessions(this.now());
  }
}

export function publicUser(user: AuthUser): AuthUser {
  return { id: user.id, name: user.name, role: user.role, unitId: user.unitId };
}
