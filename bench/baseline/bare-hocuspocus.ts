/**
 * The fan-out baseline: a bare Hocuspocus server as its documentation sets it
 * up — no authentication, no authorisation, no update guard, no indexer — on
 * the same wiring as Lianxin's (own http.Server, `ws` upgrades handed to
 * `handleConnection`, one port) and the stock SQLite persistence style of
 * `@hocuspocus/extension-sqlite`: the whole document stored, debounced, after
 * the client was already acknowledged (a file, not `:memory:`; WAL,
 * synchronous=FULL as Lianxin's store).
 *
 *   node --import tsx bench/baseline/bare-hocuspocus.ts --db FILE   (prints "listening on URL")
 *
 * `seedBareDocs` copies documents from a Lianxin data folder so both servers
 * start from the same document states.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Hocuspocus } from '@hocuspocus/server';
import { WebSocketServer, type RawData } from 'ws';
import * as Y from 'yjs';
import { SqliteStore } from '#server/store/sqlite.ts';

function openDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
  return db;
}

/** Copies the current state of the named docs from a Lianxin SQLite data file into a bare server's database. */
export async function seedBareDocs(lianxinSqlite: string, bareFile: string, names: readonly string[]): Promise<void> {
  const source = new SqliteStore(lianxinSqlite);
  const target = openDb(bareFile);
  const insert = target.prepare('INSERT OR REPLACE INTO documents (name, data) VALUES (?, ?)');
  try {
    const states: [string, Uint8Array][] = [];
    for (const name of names) {
      const { snapshot, updates } = await source.loadDoc(name);
      const doc = new Y.Doc();
      if (snapshot) Y.applyUpdate(doc, snapshot);
      for (const update of updates) Y.applyUpdate(doc, update);
      states.push([name, Y.encodeStateAsUpdate(doc)]);
      doc.destroy();
    }
    target.transaction(() => {
      for (const [name, state] of states) insert.run(name, Buffer.from(state));
    })();
  } finally {
    await source.close();
    target.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { db: { type: 'string' }, port: { type: 'string', default: '0' } } });
  if (!values.db) throw new Error('--db FILE is required');
  const db = openDb(values.db);
  const select = db.prepare('SELECT data FROM documents WHERE name = ?');
  const upsert = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data');

  const hocuspocus = new Hocuspocus({
    quiet: true,
    debounce: 2000,
    maxDebounce: 10000,
    // As Lianxin's server: the default (100) resets a socket opening a street's worth of docs.
    maxPendingDocuments: 2000,
    extensions: [
      {
        async onLoadDocument({ document, documentName }) {
          const row = select.get(documentName) as { data: Buffer } | undefined;
          if (row) Y.applyUpdate(document, new Uint8Array(row.data));
          return document;
        },
        async onStoreDocument({ document, documentName }) {
          upsert.run(documentName, Buffer.from(Y.encodeStateAsUpdate(document)));
        },
      },
    ],
  });

  const server = createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const request = new Request(`http://localhost${req.url ?? '/'}`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = hocuspocus.handleConnection(ws, request);
      ws.on('message', (data: RawData) => client.handleMessage(toBytes(data)));
      ws.on('close', (code: number, reason: Buffer) => client.handleClose({ code, reason: reason.toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare Hocuspocus listening on http://127.0.0.1:${port}\n`);
  const stop = () => {
    server.close();
    for (const ws of wss.clients) ws.terminate();
    db.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
