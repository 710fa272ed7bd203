/**
 * The knowledge base on the server: admin-only import naming bad rows,
 * versions, the incremental change feed scoped by area, withdrawal as a
 * tombstone, synonyms; and the store's versions and seqs on PostgreSQL too.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '#shared/knowledge/import.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { PostgresStore } from '#server/store/postgres.ts';
import { entryRow, knowledgeCsv, testEntry } from '../support/knowledge-files.ts';
import { login } from './support/client.ts';
import { users } from './support/fixture.ts';
import { missingBinaries, startPostgres, type Service } from './support/services.ts';
import { startServer, stopAll, type ServerProcess } from './support/server.ts';

let server: ServerProcess;
const dirs: string[] = [];
const tokens = new Map<string, string>();

beforeAll(async () => {
  server = await startServer();
  dirs.push(server.dataDir);
  for (const user of [users.admin, users.worker, users.clerk, users.supervisor]) tokens.set(user.id, await login(server.url, user.id));
}, 40_000);

afterAll(async () => {
  await stopAll(dirs);
});

const auth = (userId: string) => ({ Authorization: `Bearer ${tokens.get(userId)!}` });

interface ImportAnswer {
  imported: number;
  unchanged: number;
  errors: { row: number; column: string; message: string }[];
}

interface Changes {
  seq: number;
  more: boolean;
  reset: boolean;
  entries: KnowledgeEntry[];
  removed: string[];
  synonyms: string[][];
}

async function importCsv(userId: string, csv: string): Promise<{ status: number; body: ImportAnswer }> {
  const res = await fetch(`${server.url}/api/knowledge/import`, {
    method: 'POST',
    headers: { ...auth(userId), 'Content-Type': 'text/csv; charset=utf-8', 'X-Filename': encodeURIComponent('知识库.csv') },
    body: csv,
  });
  return { status: res.status, body: (await res.json()) as ImportAnswer };
}

async function changes(userId: string, since: number, limit?: number): Promise<Changes> {
  const res = await fetch(`${server.url}/api/knowledge/changes?since=${since}${limit ? `&limit=${limit}` : ''}`, { headers: auth(userId) });
  expect(res.status).toBe(200);
  return (await res.json()) as Changes;
}

const ids = (list: readonly { id: string }[]) => list.map((e) => e.id).sort();

describe('knowledge import', () => {
  it('refuses a non-admin and an anonymous caller', async () => {
    const csv = knowledgeCsv([entryRow(testEntry('kb-t-refused'))]);
    expect((await importCsv(users.clerk.id, csv)).status).toBe(403);
    expect((await fetch(`${server.url}/api/knowledge/import`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv })).status).toBe(401);
    expect((await changes(users.admin.id, 0)).entries.map((e) => e.id)).not.toContain('kb-t-refused');
  });

  it('stores the good rows and names every bad row and its column', async () => {
    const csv = knowledgeCsv([
      entryRow(testEntry('kb-t-good1')),
      { ...entryRow(testEntry('kb-t-bad1')), title: '' },
      entryRow(testEntry('kb-t-good2', { title: '公租房申请条件', tags: ['公租房'] })),
      { ...entryRow(testEntry('kb-t-bad2')), updated: '昨天' },
    ]);
    const { status, body } = await importCsv(users.admin.id, csv);
    expect(status).toBe(200);
    expect(body.imported).toBe(2);
    // Row 1 is the header: the entries are rows 2–5.
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'title'],
      [5, 'updated'],
    ]);
    const feed = await changes(users.admin.id, 0);
    expect(ids(feed.entries)).toEqual(expect.arrayContaining(['kb-t-good1', 'kb-t-good2']));
    expect(ids(feed.entries)).not.toContain('kb-t-bad1');
  });

  it('takes an .xlsx sheet, naming its bad row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('知识库');
    sheet.addRow([...IMPORT_COLUMNS]);
    const good = entryRow(testEntry('kb-t-xlsx'));
    sheet.addRow(IMPORT_COLUMNS.map((c) => good[c] ?? null));
    sheet.addRow(IMPORT_COLUMNS.map((c) => (c === 'answer' ? '太短' : c === 'id' ? 'kb-t-xlsx-bad' : (good[c] ?? null))));
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const res = await fetch(`${server.url}/api/knowledge/import`, { method: 'POST', headers: { ...auth(users.admin.id), 'X-Filename': 'kb.xlsx', 'Content-Type': 'application/octet-stream' }, body: bytes });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ImportAnswer;
    expect(body.imported).toBe(1);
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([[3, 'answer']]);
  });

  it('refuses a file it cannot tell the kind of', async () => {
    const res = await fetch(`${server.url}/api/knowledge/import`, { method: 'POST', headers: { ...auth(users.admin.id), 'Content-Type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
  });

  it('takes JSON, versions a changed entry and leaves an unchanged one alone', async () => {
    const first = testEntry('kb-t-json', { title: '噪声扰民怎么投诉', category: '环境' });
    const post = (entries: KnowledgeEntry[]) =>
      fetch(`${server.url}/api/knowledge/import`, { method: 'POST', headers: { ...auth(users.admin.id), 'Content-Type': 'application/json' }, body: JSON.stringify(entries) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as ImportAnswer }),
      );
    expect((await post([first])).body).toMatchObject({ imported: 1, unchanged: 0, errors: [] });
    const before = await changes(users.admin.id, 0);
    expect(before.entries.find((e) => e.id === first.id)?.version).toBe(1);

    expect((await post([first])).body).toMatchObject({ imported: 0, unchanged: 1 });
    expect((await changes(users.admin.id, before.seq)).entries).toEqual([]);

    expect((await post([{ ...first, answer: `${first.answer}（已更新）` }])).body).toMatchObject({ imported: 1 });
    const after = await changes(users.admin.id, before.seq);
    expect(after.entries.map((e) => [e.id, e.version])).toEqual([[first.id, 2]]);
    expect(after.seq).toBeGreaterThan(before.seq);
  });
});

describe('the change feed', () => {
  it('gives only what changed since the device’s seq, in pages', async () => {
    const start = (await changes(users.worker.id, 0)).seq;
    const batch = Array.from({ length: 5 }, (_, i) => entryRow(testEntry(`kb-t-page${i}`)));
    expect((await importCsv(users.admin.id, knowledgeCsv(batch))).body.imported).toBe(5);

    const page1 = await changes(users.worker.id, start, 3);
    expect(page1.more).toBe(true);
    expect(ids(page1.entries)).toEqual(['kb-t-page0', 'kb-t-page1', 'kb-t-page2']);
    const page2 = await changes(users.worker.id, page1.seq, 3);
    expect(page2.more).toBe(false);
    expect(ids(page2.entries)).toEqual(['kb-t-page3', 'kb-t-page4']);
    expect((await changes(users.worker.id, page2.seq)).entries).toEqual([]);
  });

  it('gives a user the entries of their unit chain and not another district’s; a moved entry is removed', async () => {
    const start = (await changes(users.worker.id, 0)).seq;
    const csv = knowledgeCsv([
      entryRow(testEntry('kb-t-city', { area: 'city' })),
      entryRow(testEntry('kb-t-d1', { area: 'd1' })),
      entryRow(testEntry('kb-t-s1', { area: 'd1-s1' })),
      entryRow(testEntry('kb-t-s2', { area: 'd1-s2' })),
    ]);
    expect((await importCsv(users.admin.id, csv)).body.imported).toBe(4);

    // The worker's grid is in street d1-s1 of district d1.
    expect(ids((await changes(users.worker.id, start)).entries)).toEqual(['kb-t-city', 'kb-t-d1', 'kb-t-s1']);
    // The supervisor works at the district: no street's own entries.
    expect(ids((await changes(users.supervisor.id, start)).entries)).toEqual(['kb-t-city', 'kb-t-d1']);

    const beforeMove = (await changes(users.worker.id, 0)).seq;
    expect((await importCsv(users.admin.id, knowledgeCsv([entryRow(testEntry('kb-t-s1', { area: 'd1-s2' }))]))).body.imported).toBe(1);
    const moved = await changes(users.worker.id, beforeMove);
    expect(moved.entries).toEqual([]);
    expect(moved.removed).toEqual(['kb-t-s1']);
  });

  it('sends a withdrawn entry as a tombstone; only an admin may withdraw', async () => {
    expect((await importCsv(users.admin.id, knowledgeCsv([entryRow(testEntry('kb-t-gone'))]))).body.imported).toBe(1);
    const before = (await changes(users.worker.id, 0)).seq;
    const withdraw = (userId: string) => fetch(`${server.url}/api/knowledge/kb-t-gone/withdraw`, { method: 'POST', headers: auth(userId) });
    expect((await withdraw(users.clerk.id)).status).toBe(403);
    expect((await withdraw(users.admin.id)).status).toBe(200);
    const feed = await changes(users.worker.id, before);
    expect(feed.entries.map((e) => [e.id, e.withdrawn, e.version])).toEqual([['kb-t-gone', true, 2]]);
    expect((await fetch(`${server.url}/api/knowledge/kb-t-none/withdraw`, { method: 'POST', headers: auth(users.admin.id) })).status).toBe(404);
  });

  it('starts again when the device’s seq is past the store’s', async () => {
    const feed = await changes(users.worker.id, 10_000_000);
    expect(feed.reset).toBe(true);
    expect(feed.entries.length).toBeGreaterThan(0);
    expect(feed.removed).toEqual([]);
  });

  it('refuses without a session and with a bad seq', async () => {
    expect((await fetch(`${server.url}/api/knowledge/changes?since=0`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/knowledge/changes?since=-1`, { headers: auth(users.worker.id) })).status).toBe(400);
  });
});

describe('synonyms', () => {
  it('are written by an admin only and reach every device with the changes', async () => {
    const put = (userId: string, body: unknown) =>
      fetch(`${server.url}/api/knowledge/synonyms`, { method: 'PUT', headers: { ...auth(userId), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put(users.worker.id, { groups: [['电梯', '升降梯']] })).status).toBe(403);
    expect((await put(users.admin.id, { groups: [['电梯']] })).status).toBe(400);
    expect((await put(users.admin.id, { groups: [['电梯', '升降梯'], ['噪声', '噪音']] })).status).toBe(200);
    const seq = (await changes(users.worker.id, 0)).seq;
    expect((await changes(users.worker.id, seq)).synonyms).toEqual([
      ['电梯', '升降梯'],
      ['噪声', '噪音'],
    ]);
    const got = await fetch(`${server.url}/api/knowledge/synonyms`, { headers: auth(users.worker.id) });
    expect(((await got.json()) as { groups: string[][] }).groups).toHaveLength(2);
  });
});

const missing = missingBinaries();

describe.skipIf(missing !== null)('the knowledge store on PostgreSQL', () => {
  let postgres: Service;
  let store: PostgresStore;
  beforeAll(async () => {
    postgres = await startPostgres();
    store = await PostgresStore.open(postgres.url);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await postgres?.stop();
  });

  it('versions entries, skips unchanged ones and numbers every change once, in order', async () => {
    const a = testEntry('kb-pg-a');
    const b = testEntry('kb-pg-b', { area: 'd1' });
    expect((await store.putKnowledge([a, b])).stored.map((e) => e.version)).toEqual([1, 1]);
    // JSONB reorders keys: an equal entry must still count as unchanged.
    expect(await store.putKnowledge([a])).toEqual({ stored: [], unchanged: 1 });
    const first = await store.knowledgeChanges(0, 10);
    expect(first.changes.map((c) => [c.entry.id, c.seq])).toEqual([
      ['kb-pg-a', 1],
      ['kb-pg-b', 2],
    ]);
    // Concurrent writers get distinct, increasing seqs.
    await Promise.all([store.putKnowledge([{ ...a, title: '改一' }]), store.putKnowledge([{ ...b, title: '改二' }])]);
    const next = await store.knowledgeChanges(first.head, 10);
    expect(next.changes.map((c) => c.seq).sort()).toEqual([3, 4]);
    expect(next.head).toBe(4);
    expect((await store.getKnowledge('kb-pg-a'))?.version).toBe(2);
    await store.setKnowledgeSynonyms([['电梯', '升降梯']]);
    expect(await store.knowledgeSynonyms()).toEqual([['电梯', '升降梯']]);
    expect(await store.countKnowledge()).toBe(2);
  });
});
