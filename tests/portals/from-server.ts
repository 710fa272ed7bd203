/**
 * The demo portals holding the orders a Lianxin server's demo seed created,
 * under the same numbers (`npm start` uses it): signed in as the demo street
 * clerk, the street's orders a hotline portal would still list — open ones
 * and those with a result waiting for the reply — are read from the server
 * and dealt round the portals, each order on one portal only. Null when the
 * server has no such clerk (a server not seeded with the demo).
 */
import * as Y from 'yjs';
import { LianxinApi } from '#shared/client/api.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#demo/index.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { isOpenStatus } from '#shared/order/status.ts';
import { readIndexSummary, type OrderSummary } from '#shared/order/summary.ts';
import { INDEX_ORDERS_MAP, orderDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';
import { readIntake } from '#shared/sync/order-doc.ts';
import { ORDERS_PER_PORTAL, PORTALS, toPortalOrder, type PortalName, type PortalOrder } from './data.ts';

const CLERK = DEMO_ACCOUNTS.find((a) => a.role === 'street_clerk')!;

/** On a hotline portal still: open, or with a result not yet replied. */
const listed = (s: OrderSummary) => isOpenStatus(s.status) || s.status === 'closed' || s.status === 'reviewed';

export async function ordersFromServer(serverUrl: string): Promise<Record<PortalName, PortalOrder[]> | null> {
  const api = new LianxinApi({ baseUrl: serverUrl });
  let token: string;
  try {
    token = (await api.login(CLERK.id, DEMO_PASSWORD)).token;
  } catch {
    return null;
  }
  try {
    const { units } = await api.org(token);
    const names = new Map(units.map((u) => [u.id, u.name]));
    const indexName = streetIndexDocName(CLERK.unitId);
    const index = (await api.fetchDocs(token, [indexName]))[indexName];
    if (!index || !('update' in index)) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, index.update);
    const summaries = [...doc.getMap(INDEX_ORDERS_MAP).entries()]
      .map(([id, raw]) => readIndexSummary(id, raw))
      .flatMap((r) => (r.ok ? [r.value] : []))
      .filter(listed)
      // Those waiting for a reply first (a new user can fill them), then the newest.
      .sort((a, b) => Number(isOpenStatus(a.status)) - Number(isOpenStatus(b.status)) || b.receivedAt - a.receivedAt)
      .slice(0, PORTALS.length * ORDERS_PER_PORTAL);
    doc.destroy();
    const docs = await api.fetchDocs(token, summaries.map((s) => orderDocName(s.id)));
    const intakes: OrderIntake[] = [];
    for (const s of summaries) {
      const entry = docs[orderDocName(s.id)];
      if (!entry || !('update' in entry)) continue;
      const orderDoc = new Y.Doc();
      Y.applyUpdate(orderDoc, entry.update);
      const intake = readIntake(orderDoc);
      orderDoc.destroy();
      if (intake?.ok) intakes.push(intake.value);
    }
    const result = Object.fromEntries(PORTALS.map((p) => [p, [] as PortalOrder[]])) as Record<PortalName, PortalOrder[]>;
    intakes.forEach((intake, i) => result[PORTALS[i % PORTALS.length]!].push(toPortalOrder(intake, names)));
    return result;
  } finally {
    await api.logout(token).catch(() => undefined);
  }
}
