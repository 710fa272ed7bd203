/**
 * GET /api/reports/monthly.csv and the Open311 GeoReport v2 read endpoints:
 * computed from the index docs with the shared indicators, authorised by
 * scope (a unit the caller's unit covers), and never carrying a citizen's
 * name or phone.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDateTime } from '#shared/util/when.ts';
import { XLSX_MIME, xlsxTime } from '#shared/indicators/report-xlsx.ts';
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

/** A cell of the .xlsx as the CSV writes it (report.ts cellText), by its number format. */
function xlsxText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return cstDateTime(xlsxTime(value));
  if (typeof value !== 'number') return String(value);
  if (cell.numFmt === '0.00%') return `${(value * 100).toFixed(2)}%`;
  if (cell.numFmt === '0.00') return value.toFixed(2);
  return String(value);
}

/** RFC 4180 fields of one CSV line (quotes doubled inside quoted fields). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const raw = m[1] ?? '';
    fields.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"').replace(/^'([=+\-@])/, '$1') : raw);
    if (m[2] === '') break;
  }
  return fields;
}

describe('GET /api/reports/monthly.xlsx', () => {
  it('holds the 月通报’s tables, one sheet each, cell for cell the CSV’s, with formats and a frozen header', async () => {
    let workbook = new ExcelJS.Workbook();
    await waitFor(async () => {
      const res = await get('/api/reports/monthly.xlsx?unit=d1-s1&month=2026-11', tokens[users.clerk.id]);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(XLSX_MIME);
      workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      return workbook.getWorksheet('超期清单')?.getColumn(1).values.includes(orderNo) ?? false;
    }, 'the indexer to list the order');
    const csv = await (await get('/api/reports/monthly.csv?unit=d1-s1&month=2026-11', tokens[users.clerk.id])).text();
    const sections = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n\r\n');
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '排名', '类型构成', '超期清单', '不满意回访']);
    expect(sections).toHaveLength(5);
    workbook.worksheets.forEach((sheet, i) => {
      const [name, ...lines] = (sections[i] ?? '').split('\r\n');
      expect(sheet.name).toBe(name);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
      expect(sheet.rowCount).toBe(lines.length);
      lines.forEach((line, r) => {
        const fields = csvFields(line);
        fields.forEach((field, c) => expect(xlsxText(sheet.getRow(r + 1).getCell(c + 1)), `${sheet.name} R${r + 1}C${c + 1}`).toBe(field));
      });
    });
    const summary = workbook.getWorksheet('汇总')!;
    const row = (name: string): ExcelJS.Row => summary.getRow(summary.getColumn(1).values.indexOf(name));
    expect(row('受理量').getCell(2).value).toBe(1);
    expect(row('超期件数').getCell(2).value).toBe(1);
    expect(row('办结率').getCell(2).numFmt).toBe('0.00%');
    expect(row('办结率').getCell(4).value).toBe(1);
    expect(summary.getColumn(1).width).toBeGreaterThanOrEqual(22);
    const overdue = workbook.getWorksheet('超期清单')!;
    expect(overdue.getRow(2).values).not.toContain('13812345678');
    expect(String(overdue.getRow(2).getCell(5).value)).toContain('138****5678');
  });

  it('is authorised as the CSV is', async () => {
    expect((await get('/api/reports/monthly.xlsx?unit=d1&month=2026-11', tokens[users.supervisor.id])).status).toBe(200);
    expect((await get('/api/reports/monthly.xlsx?unit=d1-s1&month=2026-11', tokens[outsideClerk.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.xlsx?unit=d1&month=2026-11', tokens[users.clerk.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.xlsx?unit=d1-s1&month=2026-11', tokens[users.worker.id])).status).toBe(403);
    expect((await get('/api/reports/monthly.xlsx?unit=d1-s1&month=2026-13', tokens[users.clerk.id])).status).toBe(400);
    expect((await get('/api/reports/monthly.xlsx?unit=d1-s1&month=2026-11')).status).toBe(401);
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
