/** Units keep an office's 预警 window; a store made before the column existed gains it on open. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '#server/store/sqlite.ts';
import { stopAll, tempDir } from './support/server.ts';

const dirs: string[] = [];
afterAll(() => stopAll(dirs));

describe('units in the store', () => {
  it('opens a store from before warning_hours, keeps its units and stores the window', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const file = join(dir, 'lianxin.sqlite');
    const old = new Database(file);
    old.exec('CREATE TABLE units (id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT)');
    old.prepare('INSERT INTO units VALUES (?, ?, ?, ?)').run('city', 'city', '示范市', null);
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.listUnits()).toEqual([{ id: 'city', kind: 'city', name: '示范市', parentId: null }]);
      await store.upsertUnits([{ id: 'd1-s1', kind: 'street', name: '凯旋路街道', parentId: 'city', warningHours: 36 }]);
      expect(await store.listUnits()).toEqual([
        { id: 'city', kind: 'city', name: '示范市', parentId: null },
        { id: 'd1-s1', kind: 'street', name: '凯旋路街道', parentId: 'city', warningHours: 36 },
      ]);
      // Imported again without it: the file is the truth.
      await store.upsertUnits([{ id: 'd1-s1', kind: 'street', name: '凯旋路街道', parentId: 'city' }]);
      expect((await store.listUnits())[1]).not.toHaveProperty('warningHours');
    } finally {
      await store.close();
    }
  });
});
