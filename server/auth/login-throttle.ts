/**
 * Login throttling: by client address and by account, without letting a
 * stranger lock the owner out. Failures only are counted; a refused (429)
 * attempt checks no password and counts nothing. The rule (docs/THREAT-MODEL.md,
 * "Sessions and sign-in"):
 *
 * 1. **Address.** Each address has a leaky bucket of failures, on any
 *    account: 30 fit, one drains every 10 s. A full bucket refuses every
 *    sign-in from that address, before the password is looked at, until one
 *    drains. Password spraying from one address runs at 6 guesses a minute.
 *    (IPv6 addresses count per /64, which one machine can hop across.)
 * 2. **Account × address.** An address's first 5 failures on an account are
 *    free; after that it waits 1 s after its last failure, then 2 s, 4 s … up
 *    to 15 min. One failure is forgiven every 15 min. This is a delay for that
 *    address, never a lockout of the account: the owner elsewhere is not
 *    affected, and a success clears it.
 * 3. **Account, from everywhere.** Failures on an account from all addresses
 *    together (one forgiven a minute) put it *under attack* from 20 on. Then an
 *    address that has already failed on it (and has not signed in to it
 *    successfully lately) waits, after its last failure, 1 s, doubling every 5
 *    more failures on the account, up to an hour — so each of a botnet's
 *    addresses gets about one guess an hour. An address that has not failed on
 *    the account is never held back by this rule, so a correct password from
 *    it always gets in.
 *
 * Memory is bounded: each table keeps `entries` keys and forgets the least
 * recently touched first — the quietest, never an address or account under
 * active attack, which is touched on every attempt.
 */
import { isIPv6 } from 'node:net';

export interface ThrottleRules {
  readonly addressBurst: number;
  readonly addressDrainMs: number;
  readonly pairFree: number;
  readonly pairDecayMs: number;
  readonly pairMaxDelayMs: number;
  readonly accountAttack: number;
  readonly accountDecayMs: number;
  /** Failures on the account per doubling of its delay. */
  readonly accountStep: number;
  readonly accountMaxDelayMs: number;
  /** Addresses remembered per account as having signed in successfully. */
  readonly knownGood: number;
}

export const LOGIN_RULES: ThrottleRules = {
  addressBurst: 30,
  addressDrainMs: 10_000,
  pairFree: 5,
  pairDecayMs: 15 * 60_000,
  pairMaxDelayMs: 15 * 60_000,
  accountAttack: 20,
  accountDecayMs: 60_000,
  accountStep: 5,
  accountMaxDelayMs: 60 * 60_000,
  knownGood: 4,
};

export type ThrottleRule = 'address' | 'account_address' | 'account';
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly rule: ThrottleRule; readonly retryAfterMs: number };

/** A Map that keeps at most `capacity` keys, forgetting the least recently touched. */
export class RecentMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** Read without counting as a touch. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Store and mark as the most recently touched; the oldest keys go past the capacity. */
  touch(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

interface Leaky {
  level: number;
  /** Last failure. */
  at: number;
}

interface AccountEntry extends Leaky {
  good: string[];
}

export class LoginThrottle {
  private readonly addresses: RecentMap<string, Leaky>;
  private readonly pairs: RecentMap<string, Leaky>;
  private readonly accounts: RecentMap<string, AccountEntry>;

  constructor(
    entries: number,
    private readonly now: () => number = Date.now,
    private readonly rules: ThrottleRules = LOGIN_RULES,
  ) {
    this.addresses = new RecentMap(entries);
    this.pairs = new RecentMap(entries);
    this.accounts = new RecentMap(entries);
  }

  private readonly logged = new RecentMap<string, number>(1000);

  /** True at most once a minute per address: for the log line of a refusal, so a flood of refusals does not flood the log. */
  firstRefusal(clientAddress: string): boolean {
    const now = this.now();
    const address = throttleKey(clientAddress);
    const last = this.logged.peek(address);
    if (last !== undefined && now - last < 60_000) return false;
    this.logged.touch(address, now);
    return true;
  }

  /** Entries held, all tables together. */
  get size(): number {
    return this.addresses.size + this.pairs.size + this.accounts.size;
  }

  /** May `address` try a password for `account` now? Touches what it reads: an active attacker stays remembered. */
  check(account: string, clientAddress: string): Verdict {
    const now = this.now();
    const address = throttleKey(clientAddress);
    const { rules } = this;
    const byAddress = this.addresses.peek(address);
    if (byAddress) {
      this.addresses.touch(address, byAddress);
      const level = decayed(byAddress, rules.addressDrainMs, now);
      if (level >= rules.addressBurst) {
        // Full: wait until the level has drained below the burst.
        return { ok: false, rule: 'address', retryAfterMs: Math.ceil((level - rules.addressBurst + 1e-9) * rules.addressDrainMs) || 1 };
      }
    }
    const pairKey = `${account}\u0000${address}`;
    const pair = this.pairs.peek(pairKey);
    if (!pair) return { ok: true };
    this.pairs.touch(pairKey, pair);
    // A failure counts whole until it has decayed away entirely.
    const failures = Math.ceil(decayed(pair, rules.pairDecayMs, now));
    if (failures === 0) return { ok: true };
    let wait = failures < rules.pairFree ? 0 : Math.min(1000 * 2 ** (failures - rules.pairFree), rules.pairMaxDelayMs);
    let rule: ThrottleRule = 'account_address';
    const byAccount = this.accounts.peek(account);
    if (byAccount) {
      this.accounts.touch(account, byAccount);
      const total = decayed(byAccount, rules.accountDecayMs, now);
      if (total >= rules.accountAttack && !byAccount.good.includes(address)) {
        const accountWait = Math.min(1000 * 2 ** Math.floor((total - rules.accountAttack) / rules.accountStep), rules.accountMaxDelayMs);
        if (accountWait > wait) {
          wait = accountWait;
          rule = 'account';
        }
      }
    }
    const elapsed = now - pair.at;
    return elapsed >= wait ? { ok: true } : { ok: false, rule, retryAfterMs: wait - elapsed };
  }

  failed(account: string, clientAddress: string): void {
    const now = this.now();
    const address = throttleKey(clientAddress);
    const { rules } = this;
    this.addresses.touch(address, bump(this.addresses.peek(address), rules.addressDrainMs, now));
    const pairKey = `${account}\u0000${address}`;
    this.pairs.touch(pairKey, bump(this.pairs.peek(pairKey), rules.pairDecayMs, now));
    const byAccount = this.accounts.peek(account);
    this.accounts.touch(account, { ...bump(byAccount, rules.accountDecayMs, now), good: byAccount?.good ?? [] });
  }

  succeeded(account: string, clientAddress: string): void {
    const address = throttleKey(clientAddress);
    this.pairs.delete(`${account}\u0000${address}`);
    const byAccount = this.accounts.peek(account);
    const good = [address, ...(byAccount?.good ?? []).filter((a) => a !== address)].slice(0, this.rules.knownGood);
    this.accounts.touch(account, { level: byAccount?.level ?? 0, at: byAccount?.at ?? this.now(), good });
  }
}

function decayed(entry: Leaky, drainMs: number, now: number): number {
  return Math.max(0, entry.level - Math.max(0, now - entry.at) / drainMs);
}

function bump(entry: Leaky | undefined, drainMs: number, now: number): Leaky {
  return { level: (entry ? decayed(entry, drainMs, now) : 0) + 1, at: now };
}

/** What the address tables are keyed by: an IPv4 address as it is, an IPv6 address by its /64. */
export function throttleKey(address: string): string {
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...middle, ...right].map((part) => part.toLowerCase().replace(/^0+(?=.)/, ''));
}
