/**
 * GET /api/reports/monthly.csv and the Open311 GeoReport v2 read endpoints:
 * computed from the index docs with the shared indicators, authorised by
 * scope (a unit the caller's unit covers), and never carrying a citizen's
 * name or phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, login, waitFor } from './support/client.ts';
import { outsideClerk, users } from './support/fixture.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];
let orderNo: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
  // Received 2 November 2026 (the fixture's T0), due five days later, never handled: overdue.
  ({ orderNo } = await createOrder(server.url, { citizen: { name: '张先生', phone: '13812345678' }, title: '井盖缺损，回电13812345678' }));
  for (const user of [users.clerk, users.worker, users.supervisor, outsideClerk]) tokens[user.id] = await login(server.url, user.id);
}, 40_000);

afterAll(async () => {
  await stopAll(dirs);
});

function get(path: string, token?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

describe('GET /api/reports/monthly.csv', () => {
  it('gives the street clerk the 月通报 of their street, with the overdue order and no citizen data', async () => {
    let text = '';
    await waitFor(async () => {
      const res = await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11', tokens[users.clerk.id]);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      text = await res.text();
      return text.includes(orderNo);
    }, 'the indexer to list the order');
    expect(text.startsWith('汇总')).toBe(true); // after the BOM, which the decoder drops
    for (const section of ['排名', '类型构成', '超期清单', '不满意回访']) expect(text).toContain(`\r\n${section}\r\n`);
    expect(text).toContain('受理量,1');
    expect(text).toContain('超期件数,1');
    expect(text).not.toContain('张先生');
    expect(text).not.toContain('13812345678');
    expect(text).toContain('138****5678');
  });

  it('gives the district supervisor the report of a street below', async () => {
    expect((await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11', tokens[users.supervisor.id])).status).toBe(200);
    expect((await get('/api/reports/monthly.csv?unit=d1&month=2026-11', tokens[users.supervisor.id])).status).toBe(200);
  });

  it('refuses units outside the caller’s scope, above it, unknown ones, bad months and no session', async () => {
    expect((await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11', tokens[outsideClerk.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.csv?unit=d1&month=2026-11', tokens[users.clerk.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11', tokens[users.worker.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.csv?unit=nowhere&month=2026-11', tokens[users.clerk.id])).status).toBe(404);
    expect((await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-13', tokens[users.clerk.id])).status).toBe(400);
    expect((await get('/api/reports/monthly.csv?month=2026-11', tokens[users.clerk.id])).status).toBe(400);
    expect((await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11')).status).toBe(401);
  });
});

describe('Open311 GeoReport v2', () => {
  it('lists services, and the caller’s requests without names or phones', async () => {
    const services = (await (await get('/open311/v2/services.json', tokens[users.clerk.id])).json()) as { service_code: string }[];
    expect(services.map((s) => s.service_code)).toContain('complaint');
    const res = await get('/open311/v2/requests.json?start_date=2026-11-01T00:00:00%2B08:00&end_date=2026-12-01T00:00:00%2B08:00&status=open', tokens[users.clerk.id]);
    expect(res.status).toBe(200);
    const text = await res.text();
    const requests = JSON.parse(text) as { service_request_id: string; status: string }[];
    expect(requests.find((r) => r.service_request_id === orderNo)?.status).toBe('open');
    expect(text).not.toContain('张先生');
    expect(text).not.toContain('13812345678');
    const one = await get(`/open311/v2/requests/${orderNo}.json`, tokens[users.clerk.id]);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { service_request_id: string }[])[0]?.service_request_id).toBe(orderNo);
  });

  it('shows another street nothing of it', async () => {
    const res = await get('/open311/v2/requests.json?start_date=2026-11-01T00:00:00Z', tokens[outsideClerk.id]);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(orderNo);
    expect((await get(`/open311/v2/requests/${orderNo}.json`, tokens[outsideClerk.id])).status).toBe(404);
    expect((await get('/open311/v2/requests.json')).status).toBe(401);
    expect((await get('/open311/v2/nothing.json', tokens[users.clerk.id])).status).toBe(404);
  });
});
