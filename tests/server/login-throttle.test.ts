/**
 * Sign-in throttling against real servers: wrong passwords from one address
 * slow that address down without locking the owner out, spraying many
 * accounts from one address stops, X-Forwarded-For counts only from a
 * configured proxy, and the throttle keeps an active attacker in mind while
 * its tables are flooded. The first server trusts 127.0.0.1 as a proxy, so
 * each test can speak from many addresses through X-Forwarded-For.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/client.ts';
import { PASSWORD, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let proxied: ServerProcess;
let direct: ServerProcess;
let small: ServerProcess;

beforeAll(async () => {
  [proxied, direct, small] = await Promise.all([
    startServer({ env: { TRUST_PROXY: '127.0.0.1' } }),
    startServer(),
    startServer({ env: { TRUST_PROXY: '127.0.0.1', LOGIN_THROTTLE_ENTRIES: '40' } }),
  ]);
}, 60_000);

afterAll(() => stopAll([proxied, direct, small].filter(Boolean).map((s) => s.dataDir)));

async function attempt(server: ServerProcess, username: string, password: string, from?: string): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(from ? { 'X-Forwarded-For': from } : {}) },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

/** Wrong passwords on fresh names from one address (or a forged one each time) until the first 429. */
async function sprayUntilRefused(server: ServerProcess, from: string | ((i: number) => string), prefix: string): Promise<{ failures: number; seconds: number }> {
  const started = performance.now();
  for (let i = 0; i < 60; i++) {
    const { status } = await attempt(server, `${prefix}-${i}`, 'Spring2025!', typeof from === 'string' ? from : from(i));
    if (status === 429) return { failures: i, seconds: (performance.now() - started) / 1000 };
    expect(status).toBe(401);
  }
  throw new Error(`no 429 after 60 failures from ${String(from)}`);
}

describe('sign-in throttling', () => {
  it('slows down an address that keeps failing on an account, without locking the owner out', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(proxied, users.worker.id, `wrong-${i}`, '198.51.100.7')).status);
    // The first five are checked (and wrong); after that the address waits, exponentially.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    const refused = await attempt(proxied, users.worker.id, PASSWORD, '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    // The owner, from where they are, signs in at once.
    expect((await attempt(proxied, users.worker.id, PASSWORD, '203.0.113.20')).status).toBe(200);
    // The failing address is delayed, never locked: once its wait is over the right password works there too.
    await waitFor(async () => (await attempt(proxied, users.worker.id, PASSWORD, '198.51.100.7')).status === 200, 'the delayed address to get in with the right password');
  }, 60_000);

  it('stops one address spraying a password across many accounts, and only that address', async () => {
    const sprayed = await sprayUntilRefused(proxied, '192.0.2.66', 'sprayed');
    // 30 failures fit in the address's bucket; one more slot drains every 10 s while spraying.
    expect(sprayed.failures).toBeGreaterThanOrEqual(30);
    expect(sprayed.failures).toBeLessThanOrEqual(30 + Math.ceil(sprayed.seconds / 10));
    // A correct password from that address waits too (no oracle); everyone else is unaffected.
    expect((await attempt(proxied, users.clerk.id, PASSWORD, '192.0.2.66')).status).toBe(429);
    expect((await attempt(proxied, users.clerk.id, PASSWORD, '192.0.2.67')).status).toBe(200);
  }, 60_000);

  it('ignores X-Forwarded-For from a client that is not a configured proxy', async () => {
    // A different forged address on every try: all of them count as the test's own socket address.
    const sprayed = await sprayUntilRefused(direct, (i) => `10.9.${i}.1`, 'nobody');
    expect(sprayed.failures).toBeLessThanOrEqual(30 + Math.ceil(sprayed.seconds / 10));
  }, 60_000);

  it('keeps an active attacker in mind while its tables are flooded, forgetting the quietest entries instead', async () => {
    // The attacker fills its address's bucket …
    await sprayUntilRefused(small, '198.51.100.99', 'target');
    // … then other addresses fail on other names, three times what each table holds (40), while the
    // attacker keeps guessing. Forgotten, it would get 30 fresh guesses; remembered, it gets one per 10 s.
    const started = performance.now();
    const attacker: number[] = [];
    for (let i = 0; i < 120; i++) {
      await attempt(small, `flood-${i}`, 'x', `198.18.${Math.floor(i / 250)}.${i % 250}`);
      if (i % 5 === 4) attacker.push((await attempt(small, `target-more-${i}`, 'guess', '198.51.100.99')).status);
    }
    const seconds = (performance.now() - started) / 1000;
    expect(attacker.filter((s) => s === 401).length).toBeLessThanOrEqual(1 + Math.ceil(seconds / 10));
    expect(attacker.filter((s) => s === 429).length).toBeGreaterThan(attacker.length / 2);
    const metrics = await small.metrics();
    const entries = Number(/^lianxin_login_throttle_entries (\d+)$/m.exec(metrics)?.[1]);
    expect(entries).toBeLessThanOrEqual(3 * 40);
  }, 120_000);
});

