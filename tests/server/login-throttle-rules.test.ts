/**
 * The login throttle's rule on a clock the test moves (no server, no waiting):
 * what each rule refuses and for how long, that a correct password from an
 * address that has not failed is never held back, that the tables stay
 * bounded without forgetting an active attacker, and how the client address
 * is read behind a proxy.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { LOGIN_RULES, LoginThrottle, throttleKey } from '#server/auth/login-throttle.ts';
import { ClientAddresses } from '#server/http/client-address.ts';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the login throttle', () => {
  it('gives an address five free failures on an account, then doubling waits after its last failure, capped', () => {
    const time = clock();
    const throttle = new LoginThrottle(1000, time.now);
    for (let i = 0; i < 5; i++) {
      expect(throttle.check('grid1', '198.51.100.1')).toEqual({ ok: true });
      throttle.failed('grid1', '198.51.100.1');
    }
    expect(throttle.check('grid1', '198.51.100.1')).toEqual({ ok: false, rule: 'account_address', retryAfterMs: 1000 });
    time.advance(1000);
    expect(throttle.check('grid1', '198.51.100.1').ok).toBe(true);
    throttle.failed('grid1', '198.51.100.1');
    expect(throttle.check('grid1', '198.51.100.1')).toMatchObject({ retryAfterMs: 2000 });
    // Guessing as fast as allowed: the wait doubles up to its cap (one failure is forgiven per 15 min).
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const verdict = throttle.check('grid1', '198.51.100.1');
      if (!verdict.ok) {
        waits.push(verdict.retryAfterMs);
        time.advance(verdict.retryAfterMs);
      }
      throttle.failed('grid1', '198.51.100.1');
    }
    expect(waits.slice(0, 6)).toEqual([2000, 4000, 8000, 16_000, 32_000, 64_000]);
    expect(Math.max(...waits)).toBe(LOGIN_RULES.pairMaxDelayMs);
    // Another address, the owner's, is untouched; a success clears the pair.
    expect(throttle.check('grid1', '203.0.113.5')).toEqual({ ok: true });
    throttle.succeeded('grid1', '203.0.113.5');
  });

  it('fills an address’s bucket with 30 failures on any accounts and drains one every 10 s', () => {
    const time = clock();
    const throttle = new LoginThrottle(1000, time.now);
    for (let i = 0; i < 30; i++) throttle.failed(`user${i}`, '192.0.2.9');
    expect(throttle.check('anyone', '192.0.2.9')).toMatchObject({ ok: false, rule: 'address' });
    expect(throttle.check('anyone', '192.0.2.10')).toEqual({ ok: true });
    time.advance(LOGIN_RULES.addressDrainMs);
    expect(throttle.check('anyone', '192.0.2.9').ok).toBe(true);
  });

  it('holds back addresses that failed on an account under attack, never one that has not', () => {
    const time = clock();
    const throttle = new LoginThrottle(10_000, time.now);
    // A botnet: 60 addresses, one guess each at the same account.
    for (let i = 0; i < 60; i++) throttle.failed('clerk1', `10.0.${i}.1`);
    // Each of them now waits (the account's delay, not the pair's five free failures) …
    expect(throttle.check('clerk1', '10.0.0.1')).toMatchObject({ ok: false, rule: 'account' });
    time.advance(60_000);
    expect(throttle.check('clerk1', '10.0.59.1')).toMatchObject({ ok: false, rule: 'account' });
    // … while the owner from any address that has not failed goes straight through.
    expect(throttle.check('clerk1', '203.0.113.77')).toEqual({ ok: true });
  });

  it('exempts the account’s own recent sign-in addresses from the account-wide wait', () => {
    const time = clock();
    const throttle = new LoginThrottle(10_000, time.now);
    throttle.succeeded('clerk1', '203.0.113.8');
    throttle.failed('clerk1', '203.0.113.8'); // the owner mistypes once, during the attack
    for (let i = 0; i < 60; i++) throttle.failed('clerk1', `10.1.${i}.1`);
    expect(throttle.check('clerk1', '203.0.113.8')).toEqual({ ok: true });
  });

  it('stays bounded under a flood of 10,000 names and keeps the attacker that is still active', () => {
    const time = clock();
    const throttle = new LoginThrottle(500, time.now);
    for (let i = 0; i < 6; i++) throttle.failed('grid1', '198.51.100.66');
    expect(throttle.check('grid1', '198.51.100.66').ok).toBe(false);
    for (let i = 0; i < 10_000; i++) {
      throttle.failed(`junk-${i}`, `198.18.${i >> 8}.${i & 255}`);
      if (i % 100 === 0) expect(throttle.check('grid1', '198.51.100.66').ok).toBe(false);
    }
    expect(throttle.size).toBeLessThanOrEqual(3 * 500);
    expect(throttle.check('grid1', '198.51.100.66').ok).toBe(false);
  });

  it('counts IPv6 clients by their /64', () => {
    expect(throttleKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('::1')).toBe('0:0:0:0::/64');
    expect(throttleKey('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('the client address', () => {
  const request = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

  it('is the socket’s peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const addresses = new ClientAddresses([]);
    expect(addresses.of(request('::ffff:192.0.2.4', '1.2.3.4'))).toBe('192.0.2.4');
  });

  it('is read from the right of X-Forwarded-For behind trusted proxies, skipping them', () => {
    const addresses = new ClientAddresses(['10.0.0.0/8', '::1']);
    expect(addresses.of(request('10.0.0.2', '1.2.3.4, 198.51.100.9, 10.0.0.7'))).toBe('198.51.100.9');
    expect(addresses.of(request('::1', '203.0.113.1'))).toBe('203.0.113.1');
    expect(addresses.of(request('10.0.0.2'))).toBe('10.0.0.2');
    expect(addresses.of(request('10.0.0.2', 'garbage, 198.51.100.9'))).toBe('198.51.100.9');
    expect(addresses.of(request('192.0.2.50', '198.51.100.9'))).toBe('192.0.2.50');
  });
});
