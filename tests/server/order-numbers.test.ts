/**
 * Order numbers are no oracle, against a real server: an intake or a field
 * report with a number taken outside the caller's scope is refused without
 * naming the other order, and a denial does not name the order's number.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc } from '#shared/sync/order-doc.ts';
import { createOrder, login, postIntake } from './support/client.ts';
import { fieldReport, hotlineIntake, outsideClerk, outsider, places, users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();
const { connect } = suite;

describe('order numbers', () => {
  it('answers an intake for a number taken outside the caller\'s scope without naming the order', async () => {
    const { id, orderNo } = await createOrder(suite.server.url);
    const token = await login(suite.server.url, outsideClerk.id);
    const one = await postIntake(suite.server.url, token, hotlineIntake({ orderNo, place: places.outsider }));
    expect(one.status).toBe(409);
    expect(one.body).toMatchObject({ error: { code: 'order_no_taken' } });
    expect(JSON.stringify(one.body)).not.toContain(id);
    const batch = await postIntake(suite.server.url, token, [hotlineIntake({ orderNo, place: places.outsider })]);
    expect(batch.body).toMatchObject({ failed: 1, results: [{ index: 0, status: 409, error: { code: 'order_no_taken' } }] });
    expect(JSON.stringify(batch.body)).not.toContain(id);
    // Within scope the repeat still answers with the order (idempotent intake).
    const again = await postIntake(suite.server.url, await login(suite.server.url, users.clerk.id), hotlineIntake({ orderNo }));
    expect(again).toEqual({ status: 200, body: { id, orderNo, created: false, duplicates: [] } });
  }, 60_000);

  it('refuses a field report with a taken number without naming the order, and a denial names no number', async () => {
    const { id, orderNo } = await createOrder(suite.server.url);
    const reporter = await connect(outsider, 31);
    const report = fieldReport(outsider, places.outsider, { orderNo });
    const doc = new Y.Doc();
    initOrderDoc(doc, report);
    const refusal = await reporter.open(orderDocName(report.id), doc).settled();
    expect(refusal).toMatchObject({ code: 'order_no_taken' });
    expect(JSON.stringify(refusal)).not.toContain(id);

    const denied = await reporter.open(orderDocName(id)).deniedReason();
    expect(denied).toMatch(/^out_of_scope: /);
    expect(denied).not.toContain(orderNo);
  }, 60_000);
});

