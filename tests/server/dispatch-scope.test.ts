/**
 * Dispatch targets against a real server: the guard refuses a dispatch to a
 * unit outside the writer's scope, to a unit that does not exist and to a
 * unit of another kind than the event says.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { createOrder } from './support/client.ts';
import { outsider, users } from './support/fixture.ts';
import { serverForFile } from './support/suite.ts';

const suite = serverForFile();
const { connect } = suite;

describe('dispatch targets', () => {
  async function dispatchAsCommunity(payload: { unitId: string; unitKind: 'grid' | 'community' | 'street' }, seed: number) {
    const { id } = await createOrder(suite.server.url);
    const community = await connect(users.community, seed);
    const handle = await community.open(orderDocName(id), new Y.Doc()).synced();
    handle.append(community.write(handle, { type: 'dispatch', payload }, Date.now()));
    return { id, refusal: await handle.settled() };
  }

  it('refuses a dispatch to a grid outside the writer\'s scope, which then cannot open the order', async () => {
    const { id, refusal } = await dispatchAsCommunity({ unitId: outsider.unitId, unitKind: 'grid' }, 21);
    expect(refusal).toMatchObject({ code: 'target_out_of_scope', field: expect.stringMatching(/\.payload\.unitId$/) });
    const stranger = await connect(outsider, 22);
    expect(await stranger.open(orderDocName(id)).deniedReason()).toMatch(/^out_of_scope: /);
  }, 60_000);

  it('refuses a dispatch to a unit that does not exist, or of another kind than it says', async () => {
    expect((await dispatchAsCommunity({ unitId: 'no-such-grid', unitKind: 'grid' }, 23)).refusal).toMatchObject({ code: 'unknown_unit' });
    expect((await dispatchAsCommunity({ unitId: 'd1-s1-c1', unitKind: 'grid' }, 24)).refusal).toMatchObject({ code: 'wrong_unit_kind' });
    expect((await dispatchAsCommunity({ unitId: 'd1-s1-c1-g2', unitKind: 'grid' }, 25)).refusal).toBeNull();
  }, 60_000);
});

