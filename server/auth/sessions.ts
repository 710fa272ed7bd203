/**
 * Bearer-token sessions. A token is 32 random bytes, given to the client once;
 * the store keeps only its SHA-256. Sessions expire after a period without use
 * (sliding): each HTTP request and each document opened with the token pushes
 * the expiry out (written at most every `ttl / 4`, and at most once a minute).
 * Messages on an open socket do not.
 *
 * A session ends, everywhere at once, when it expires, when it signs out,
 * when its user is disabled or their password, role or unit changes (the
 * store deletes the sessions in the same transaction as the change). Ending
 * it here means:
 *
 * - every channel carrying it (the WebSocket connections its documents were
 *   opened on) is closed, now, by `end`;
 * - its hash goes into an in-memory set that every later check consults,
 *   synchronously: each WebSocket message (`isLive`, checked by
 *   SessionChannels before anything is applied) and each HTTP request
 *   (`authenticate`);
 * - other instances hear it on the session bus (Redis pub/sub when
 *   REDIS_URL is set) and end it too.
 *
 * Besides the events, a timer at each carried session's expiry ends it with no
 * message at all, and every `recheckMs` the sessions this instance holds are
 * read back from the store in one query, so a change made elsewhere (the
 * admin command, another instance when the bus is down, a row deleted by
 * hand) ends them within that interval.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { User } from '#shared/org/roles.ts';
import type { Store } from '../store/store.ts';
import { errorMessage, log } from '../log.ts';
import { decoyHash, hashPassword, verifyPassword } from './password.ts';
import { NO_BUS, type SessionBus, type SessionEndMessage } from './session-bus.ts';

export type AuthUser = Pick<User, 'id' | 'name' | 'role' | 'unitId'>;

export interface Session {
  readonly user: AuthUser;
  readonly tokenHash: string;
  readonly expiresAt: number;
}

/** Why a session ended; said to the client in the close reason. */
export type EndReason = 'signed_out' | 'expired' | 'disabled' | 'password_changed' | 'account_changed';

export const END_REASON_TEXT: Readonly<Record<EndReason, string>> = {
  signed_out: 'signed out',
  expired: 'session expired',
  disabled: 'account disabled',
  password_changed: 'password changed',
  account_changed: 'account changed by an administrator',
};

/** Something carrying a session that can be ended: the WebSocket a document was opened on. */
export interface Channel {
  end(reason: EndReason): void;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** The longest the sliding expiry goes unwritten. */
const MAX_REFRESH_MS = 60_000;
/** A session used only over HTTP is forgotten here after this long unused (the store still has it). */
const IDLE_FORGET_MS = 60_000;
/** How long an ended session's hash is remembered, so a store read already in flight cannot bring it back. */
const ENDED_MEMORY_MS = 10 * 60_000;
const MAX_HELD = 50_000;
const MAX_ENDED = 100_000;
/** setTimeout's limit. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Held {
  session: Session;
  /** When the store last confirmed the session (login, a read, the re-check). */
  checkedAt: number;
  usedAt: number;
  readonly channels: Set<Channel>;
  timer: NodeJS.Timeout | null;
}

export interface SessionsOptions {
  readonly ttlMs: number;
  /** How often the held sessions are read back from the store. */
  readonly recheckMs: number;
  readonly bus?: SessionBus;
  readonly now?: () => number;
}

export class Sessions {
  private readonly held = new Map<string, Held>();
  private readonly ended = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly refreshMs: number;
  private readonly recheckMs: number;
  private readonly bus: SessionBus;
  private readonly now: () => number;
  /** Bumped whenever a user's sessions end; a store read that straddles one is repeated. */
  private userEpoch = 0;
  private recheckFailing = false;
  private recheckTimer: NodeJS.Timeout | null = null;
  private rechecking: Promise<void> | null = null;
  private readonly endedCounts = new Map<EndReason, number>();

  constructor(
    private readonly store: Store,
    options: SessionsOptions,
  ) {
    this.ttlMs = options.ttlMs;
    this.refreshMs = Math.min(MAX_REFRESH_MS, options.ttlMs / 4);
    this.recheckMs = options.recheckMs;
    this.bus = options.bus ?? NO_BUS;
    this.now = options.now ?? Date.now;
  }

  /** Start the periodic re-check and listen on the bus. */
  start(): void {
    this.bus.subscribe((message) => this.onBusMessage(message));
    this.recheckTimer = setInterval(() => void this.recheck(), this.recheckMs);
    this.recheckTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const entry of this.held.values()) if (entry.timer) clearTimeout(entry.timer);
    await this.rechecking;
    await this.bus.close();
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
    this.hold(session, now);
    return { token, session };
  }

  /**
   * The session of a bearer token, or null if unknown, ended, expired or its
   * user disabled. A use: slides the expiry.
   */
  async authenticate(token: string | null | undefined): Promise<Session | null> {
    if (!token || !TOKEN_PATTERN.test(token)) return null;
    const tokenHash = hashToken(token);
    if (this.ended.has(tokenHash)) return null;
    const now = this.now();
    let entry = this.held.get(tokenHash);
    // The re-check keeps held sessions confirmed; if it has not run for two rounds (the store was down), read.
    if (!entry || entry.session.expiresAt <= now || now - entry.checkedAt >= 2 * this.recheckMs) {
      const found = await this.read(tokenHash);
      if (!found.session) return null;
      entry = this.hold(found.session, this.now());
    }
    entry.usedAt = now;
    // Most recently used last, so the oldest entries are the first to forget.
    this.held.delete(tokenHash);
    this.held.set(tokenHash, entry);
    if (now + this.ttlMs - entry.session.expiresAt > this.refreshMs) {
      const expiresAt = now + this.ttlMs;
      await this.store.extendSession(tokenHash, expiresAt);
      if (this.ended.has(tokenHash)) return null;
      entry.session = { ...entry.session, expiresAt };
      this.schedule(tokenHash, entry);
    }
    return entry.session;
  }

  /**
   * Whether a session this instance holds is still live: not ended and not
   * past its expiry. Synchronous and cheap: every WebSocket message asks.
   */
  isLive(tokenHash: string): boolean {
    if (this.ended.has(tokenHash)) return false;
    const entry = this.held.get(tokenHash);
    return entry !== undefined && entry.session.expiresAt > this.now();
  }

  /**
   * Like `isLive`, but a session that looks expired here is read back from the
   * store first (another instance may have slid it); if the store agrees, it
   * is ended everywhere it is carried.
   */
  async check(tokenHash: string): Promise<boolean> {
    if (this.isLive(tokenHash)) return true;
    if (this.ended.has(tokenHash)) return false;
    const found = await this.read(tokenHash);
    if (found.session) {
      this.hold(found.session, this.now());
      return true;
    }
    this.end(tokenHash, found.reason);
    return false;
  }

  /**
   * Register a channel carrying a session; it is ended with the session, or at
   * once if the session already has. Resolves to the function that detaches it.
   */
  async attach(tokenHash: string, channel: Channel): Promise<() => void> {
    const live = this.isLive(tokenHash) || (await this.check(tokenHash));
    const entry = this.held.get(tokenHash);
    if (!live || !entry) {
      channel.end('expired');
      return () => undefined;
    }
    entry.channels.add(channel);
    if (!entry.timer) this.schedule(tokenHash, entry);
    return () => {
      entry.channels.delete(channel);
      if (entry.channels.size === 0 && entry.timer) {
        clearTimeout(entry.timer);
        entry.timer = null;
      }
    };
  }

  async logout(tokenHash: string): Promise<void> {
    await this.store.deleteSession(tokenHash);
    this.end(tokenHash, 'signed_out');
    this.publish({ reason: 'signed_out', tokenHashes: [tokenHash] });
  }

  /**
   * Change the password of the session's user: checks the current one, stores
   * the new hash and ends every other session of the user (here, on the other
   * instances and in the store). The session itself carries on.
   */
  async changePassword(session: Session, current: string, next: string): Promise<'changed' | 'wrong_password'> {
    const user = await this.store.getUser(session.user.id);
    if (!user?.passwordHash || !(await verifyPassword(current, user.passwordHash))) return 'wrong_password';
    const found = await this.store.setUserPassword(user.id, await hashPassword(next), session.tokenHash);
    if (!found) return 'wrong_password';
    this.endUser(user.id, 'password_changed', session.tokenHash);
    this.publish({ reason: 'password_changed', userId: user.id, exceptTokenHash: session.tokenHash });
    return 'changed';
  }

  /** Disable or enable a user; disabling ends all their sessions everywhere. False when there is no such user. */
  async setDisabled(userId: string, disabled: boolean): Promise<boolean> {
    const found = await this.store.setUserDisabled(userId, disabled);
    if (found && disabled) {
      this.endUser(userId, 'disabled', null);
      this.publish({ reason: 'disabled', userId });
    }
    return found;
  }

  async sweep(): Promise<number> {
    return this.store.deleteExpiredSessions(this.now());
  }

  /** Sessions held in memory, and how many channels carry them (for /metrics). */
  stats(): { held: number; channels: number; ended: ReadonlyMap<EndReason, number> } {
    let channels = 0;
    for (const entry of this.held.values()) channels += entry.channels.size;
    return { held: this.held.size, channels, ended: this.endedCounts };
  }

  /**
   * Read every held session back from the store in one query: one that is gone,
   * expired or whose user is disabled ends; one slid elsewhere gets its new
   * expiry. Channel-less sessions unused for a minute are forgotten here.
   */
  recheck(): Promise<void> {
    this.rechecking ??= this.recheckNow().finally(() => {
        this.rechecking = null;
      });
    return this.rechecking;
  }

  private async recheckNow(): Promise<void> {
    try {
      await this.recheckHeld();
      if (this.recheckFailing) log.info('session_recheck_recovered');
      this.recheckFailing = false;
    } catch (error) {
      // Once per outage, not once a second.
      if (!this.recheckFailing) log.error('session_recheck_failed', { error: errorMessage(error) });
      this.recheckFailing = true;
    }
  }

  private async recheckHeld(): Promise<void> {
    const now = this.now();
    for (const [hash, at] of this.ended) {
      if (now - at < ENDED_MEMORY_MS && this.ended.size <= MAX_ENDED) break;
      this.ended.delete(hash);
    }
    for (const [hash, entry] of this.held) {
      if (entry.channels.size === 0 && now - entry.usedAt > IDLE_FORGET_MS) this.forget(hash);
    }
    if (this.held.size === 0) return;
    const hashes = [...this.held.keys()];
    const rows = new Map((await this.store.checkSessions(hashes)).map((row) => [row.tokenHash, row]));
    const checkedAt = this.now();
    for (const hash of hashes) {
      const entry = this.held.get(hash);
      if (!entry || this.ended.has(hash)) continue;
      const row = rows.get(hash);
      // An expiry only moves forward; a later one here was slid by this instance while the query ran.
      const expiresAt = Math.max(row?.expiresAt ?? 0, entry.session.expiresAt);
      if (!row) this.end(hash, 'account_changed');
      else if (row.disabled) this.end(hash, 'disabled');
      else if (expiresAt <= checkedAt) this.end(hash, 'expired');
      else {
        entry.checkedAt = checkedAt;
        if (row.expiresAt > entry.session.expiresAt) {
          entry.session = { ...entry.session, expiresAt: row.expiresAt };
          if (entry.channels.size > 0) this.schedule(hash, entry);
        }
      }
    }
  }

  /**
   * The session from the store, or null. Read again if a user's sessions were
   * ended meanwhile: the row may have been read just before the store deleted
   * it. (A single session's end is caught by the `ended` set instead.)
   */
  private async read(tokenHash: string): Promise<{ session: Session; reason?: never } | { session?: never; reason: EndReason }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const epoch = this.userEpoch;
      const row = await this.store.getSession(tokenHash);
      const user = row ? await this.store.getUser(row.userId) : null;
      if (epoch !== this.userEpoch) continue;
      const heldUntil = this.held.get(tokenHash)?.session.expiresAt ?? 0;
      if (this.ended.has(tokenHash)) return { reason: 'signed_out' };
      if (!row) return { reason: heldUntil <= this.now() ? 'expired' : 'account_changed' };
      if (!user || user.disabled) return { reason: 'disabled' };
      if (row.expiresAt <= this.now()) return { reason: 'expired' };
      return { session: { user: publicUser(user), tokenHash, expiresAt: row.expiresAt } };
    }
    return { reason: 'account_changed' };
  }

  private hold(session: Session, now: number): Held {
    const existing = this.held.get(session.tokenHash);
    if (existing) {
      existing.session = session;
      existing.checkedAt = now;
      if (existing.channels.size > 0) this.schedule(session.tokenHash, existing);
      return existing;
    }
    const entry: Held = { session, checkedAt: now, usedAt: now, channels: new Set(), timer: null };
    this.held.set(session.tokenHash, entry);
    if (this.held.size > MAX_HELD) {
      for (const [hash, old] of this.held) {
        if (this.held.size <= MAX_HELD) break;
        if (old.channels.size === 0) this.forget(hash);
      }
    }
    return entry;
  }

  /** A timer at the session's expiry: then the store is asked whether it slid elsewhere, and if not it ends. */
  private schedule(tokenHash: string, entry: Held): void {
    if (entry.timer) clearTimeout(entry.timer);
    const delay = Math.max(0, Math.min(entry.session.expiresAt - this.now(), MAX_TIMER_MS));
    entry.timer = setTimeout(() => {
      entry.timer = null;
      if (entry.session.expiresAt > this.now()) {
        this.schedule(tokenHash, entry);
        return;
      }
      this.check(tokenHash).catch((error: unknown) => {
        log.error('session_check_failed', { error: errorMessage(error) });
        this.end(tokenHash, 'expired');
      });
    }, delay);
    entry.timer.unref();
  }

  /** End a session on this instance: remember it as ended and close every channel carrying it. */
  private end(tokenHash: string, reason: EndReason): void {
    if (!this.ended.has(tokenHash)) this.ended.set(tokenHash, this.now());
    const entry = this.held.get(tokenHash);
    this.forget(tokenHash);
    if (!entry) return;
    this.endedCounts.set(reason, (this.endedCounts.get(reason) ?? 0) + 1);
    if (entry.channels.size > 0) log.info('session_ended', { user: entry.session.user.id, reason, channels: entry.channels.size });
    for (const channel of entry.channels) channel.end(reason);
    entry.channels.clear();
  }

  private endUser(userId: string, reason: EndReason, except: string | null): void {
    this.userEpoch += 1;
    for (const [hash, entry] of [...this.held]) {
      if (entry.session.user.id === userId && hash !== except) this.end(hash, reason);
    }
  }

  private forget(tokenHash: string): void {
    const entry = this.held.get(tokenHash);
    if (entry?.timer) clearTimeout(entry.timer);
    this.held.delete(tokenHash);
  }

  private onBusMessage(message: SessionEndMessage): void {
    for (const hash of message.tokenHashes ?? []) this.end(hash, message.reason);
    if (message.userId) this.endUser(message.userId, message.reason, message.exceptTokenHash ?? null);
  }

  private publish(message: SessionEndMessage): void {
    this.bus.publish(message);
  }
}

export function publicUser(user: AuthUser): AuthUser {
  return { id: user.id, name: user.name, role: user.role, unitId: user.unitId };
}
