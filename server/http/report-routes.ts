/**
 * Reports from the index: the 月通报 and the Open311 GeoReport v2 read-only
 * endpoints, computed with shared/indicators from the order summaries the
 * indexer keeps in the `street:<id>` index docs — the same rows and the same
 * code as the device's 数据分析 page. Each request is authorised by scope: a
 * unit the caller's unit covers (an admin: any). Summaries carry no citizen
 * name or phone (phones in titles and addresses are masked), so neither does
 * anything here.
 *
 * - GET /api/reports/monthly.csv?unit=<unitId>&month=YYYY-MM — the 月通报's
 *   tables (汇总, 排名, 类型构成, 超期清单, 不满意回访) as one CSV.
 * - GET /api/reports/monthly.xlsx?unit=<unitId>&month=YYYY-MM — the same
 *   tables, one sheet each (shared/indicators/report-xlsx.ts, as the PWA's).
 * - GET /open311/v2/services.json, /open311/v2/requests.json,
 *   /open311/v2/requests/:id.json — within the caller's unit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { monthlyReport, reportToCsv, TYPE_NAMES, type ReportTable } from '#shared/indicators/report.ts';
import { parseMonth } from '#shared/indicators/period.ts';
import { indicatorRow, type IndicatorRow } from '#shared/indicators/row.ts';
import { PLACE_LEVELS, rowsInUnit, type PlaceLevel, type UnitRef } from '#shared/indicators/unit.ts';
import { ORDER_TYPES, type OrderType } from '#shared/order/intake.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary, type OrderSummary } from '#shared/order/summary.ts';
import { mayOpenIndex } from '#shared/org/scope.ts';
import { descendantsOf, enclosingUnit, type OrgTree, type Unit } from '#shared/org/units.ts';
import { INDEX_ORDERS_MAP, streetIndexDocName } from '#shared/sync/doc-names.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { mergeState } from '../sync/merge-state.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, sendJson, type Route } from './http.ts';

/** The streets whose index docs hold the orders of `unit`. */
function streetsOf(tree: OrgTree, unit: Unit): string[] {
  if (unit.kind === 'city' || unit.kind === 'district') return descendantsOf(tree, unit.id).filter((u) => u.kind === 'street').map((u) => u.id);
  const street = enclosingUnit(tree, unit.id, 'street');
  return street ? [street.id] : [];
}

/**
 * Every summary in the streets' index docs, live and archived (each doc live
 * if open, else as stored), each read as the devices read them; an order
 * caught between a live doc and an archive counts once.
 */
async function readSummaries(services: Services, streetIds: readonly string[]): Promise<(OrderSummary & IndicatorRow)[]> {
  const rows = new Map<string, OrderSummary & IndicatorRow>();
  // Each live doc's current generation (docs/SERVER.md, "Index docs in generations"), the record read once for all;
  // archives are named from the base.
  const currents = await services.indexer.currentIndexNames(streetIds.map(streetIndexDocName));
  for (const streetId of streetIds) {
    const liveName = streetIndexDocName(streetId);
    for (const name of [currents.get(liveName)!, ...(await services.store.listDocs(`${liveName}:archive:`))]) {
      const open = services.hocuspocus.documents.get(name);
      const doc = open ?? new Y.Doc({ guid: name });
      try {
        if (!open) Y.applyUpdate(doc, mergeState(await services.store.loadDoc(name)));
        for (const [orderId, raw] of doc.getMap<unknown>(INDEX_ORDERS_MAP)) {
          const read = readIndexSummary(orderId, raw);
          if (read.ok && !rows.has(orderId)) rows.set(orderId, indicatorRow(read.value));
        }
      } finally {
        if (!open) doc.destroy();
      }
    }
  }
  return [...rows.values()];
}

/** The unit named by `unitId`, if the caller's scope covers it; 400/403 otherwise. */
function scopedUnit(tree: OrgTree, user: AuthUser, unitId: string | null): Unit {
  if (!unitId) throw new HttpError(400, 'invalid', 'unit: name a unit', { field: 'unit' });
  const unit = tree.units.get(unitId);
  if (!unit) throw new HttpError(404, 'unknown_unit', 'no such unit');
  if (!mayOpenIndex(tree, user, unitId).ok) throw new HttpError(403, 'out_of_scope', `unit ${unitId} is outside your scope (${user.unitId})`);
  return unit;
}

function unitRef(unit: Unit): UnitRef | null {
  return (PLACE_LEVELS as readonly string[]).includes(unit.kind) ? { level: unit.kind as PlaceLevel, id: unit.id } : null;
}

async function unitRows(services: Services, unit: Unit): Promise<(OrderSummary & IndicatorRow)[]> {
  return rowsInUnit(await readSummaries(services, streetsOf(services.directory.tree, unit)), unitRef(unit));
}

/** An Open311 service request: no citizen, no phone (summaries have neither; phones in text are masked). */
function open311Request(row: OrderSummary, unitName: (id: string) => string) {
  return {
    service_request_id: row.orderNo,
    status: isOpenStatus(row.status) ? 'open' : 'closed',
    service_code: row.type,
    service_name: TYPE_NAMES[row.type],
    description: `${row.category}：${row.title}`,
    agency_responsible: row.handlingUnit ?? unitName(row.streetId),
    requested_datetime: new Date(row.receivedAt).toISOString(),
    updated_datetime: new Date(row.closedAt ?? row.receivedAt).toISOString(),
    expected_datetime: new Date(row.deadline).toISOString(),
    address: row.address,
  };
}

function sendFile(res: ServerResponse, name: string, type: string, body: Uint8Array): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const OPEN311_MAX = 1000;

export function reportRoutes(services: Services): Route[] {
  const unitName = (id: string): string => services.directory.tree.units.get(id)?.name ?? id;
  /** The 月通报 the request names, authorised; and its file name without the extension. */
  async function monthly(req: IncomingMessage, url: URL, now: number): Promise<{ tables: ReportTable[]; stem: string }> {
    const session = await requireSession(services, req);
    const unit = scopedUnit(services.directory.tree, session.user, url.searchParams.get('unit'));
    const ref = unitRef(unit);
    if (!ref) throw new HttpError(400, 'invalid', 'unit: name a district, street, community or grid', { field: 'unit' });
    const month = url.searchParams.get('month') ?? '';
    const period = parseMonth(month);
    if (!period) throw new HttpError(400, 'invalid', 'month: YYYY-MM', { field: 'month' });
    return { tables: monthlyReport(await unitRows(services, unit), ref, period, now, { unitName }), stem: `${unit.name}-${month}-月通报` };
  }
  return [
    {
      method: 'GET',
      path: '/api/reports/monthly.csv',
      handler: async ({ req, res, url }) => {
        const { tables, stem } = await monthly(req, url, Date.now());
        sendFile(res, `${stem}.csv`, 'text/csv; charset=utf-8', Buffer.from(reportToCsv(tables), 'utf8'));
      },
    },
    {
      method: 'GET',
      path: '/api/reports/monthly.xlsx',
      handler: async ({ req, res, url }) => {
        const now = Date.now();
        const { tables, stem } = await monthly(req, url, now);
        // Loaded on the first download, not at every start (ExcelJS takes ~0.4 s to load).
        const { reportToXlsx, XLSX_MIME } = await import('#shared/indicators/report-xlsx.ts');
        sendFile(res, `${stem}.xlsx`, XLSX_MIME, await reportToXlsx(tables, now));
      },
    },
    {
      method: 'GET',
      path: '/open311/v2/services.json',
      handler: async ({ req, res }) => {
        await requireSession(services, req);
        sendJson(
          res,
          200,
          ORDER_TYPES.map((type) => ({ service_code: type, service_name: TYPE_NAMES[type], description: TYPE_NAMES[type], metadata: false, type: 'realtime', keywords: '', group: '12345' })),
        );
      },
    },
    {
      method: 'GET',
      path: '/open311/v2/requests.json',
      handler: async ({ req, res, url }) => {
        const session = await requireSession(services, req);
        const unit = scopedUnit(services.directory.tree, session.user, url.searchParams.get('unit') ?? session.user.unitId);
        const q = url.searchParams;
        const ids = q.get('service_request_id')?.split(',').filter(Boolean) ?? null;
        const codes = q.get('service_code')?.split(',').filter(Boolean) ?? null;
        const statuses = q.get('status')?.split(',').filter(Boolean) ?? null;
        const date = (key: string): number | null => {
          const value = q.get(key);
          if (value === null) return null;
          const time = Date.parse(value);
          if (Number.isNaN(time)) throw new HttpError(400, 'invalid', `${key}: a w3 date-time`, { field: key });
          return time;
        };
        // GeoReport v2: without dates, the last 90 days.
        const end = date('end_date') ?? Date.now();
        const start = date('start_date') ?? end - 90 * 86_400_000;
        const rows = (await unitRows(services, unit))
          .filter((r) => r.status !== 'merged')
          .filter((r) => (ids ? ids.includes(r.orderNo) : r.receivedAt >= start && r.receivedAt <= end))
          .filter((r) => !codes || codes.includes(r.type as OrderType))
          .filter((r) => !statuses || statuses.includes(isOpenStatus(r.status) ? 'open' : 'closed'))
          .sort((a, b) => b.receivedAt - a.receivedAt)
          .slice(0, OPEN311_MAX);
        sendJson(res, 200, rows.map((r) => open311Request(r, unitName)));
      },
    },
    {
      method: 'GET',
      path: '/open311/v2/requests/:file',
      handler: async ({ req, res, params }) => {
        const session = await requireSession(services, req);
        const match = /^([A-Za-z0-9-]{4,40})\.json$/.exec(params.file ?? '');
        if (!match) throw new HttpError(404, 'not_found', 'no such request');
        const unit = scopedUnit(services.directory.tree, session.user, session.user.unitId);
        const row = (await unitRows(services, unit)).find((r) => r.orderNo === match[1] && r.status !== 'merged');
        if (!row) throw new HttpError(404, 'not_found', 'no such request');
        sendJson(res, 200, [open311Request(row, unitName)]);
      },
    },
  ];
}
