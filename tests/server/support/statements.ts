import type Database from 'better-sqlite3';
import type { SqliteStore } from '#server/store/sqlite.ts';

/**
 * Counts the runs of the SQLite store's statements whose text starts with `sql`, from this call on
 * (the store prepares each text once, on first use: call this before it is used).
 */
export function countStatements(store: SqliteStore, sql: string): () => number {
  let count = 0;
  const database = (store as unknown as { db: Database.Database }).db;
  const prepare = database.prepare.bind(database);
  database.prepare = ((source: string) => {
    const statement = prepare(source);
    if (!source.startsWith(sql)) return statement;
    for (const method of ['run', 'get', 'all'] as const) {
      const original = statement[method].bind(statement) as (...params: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
        count += 1;
        return original(...params);
      };
    }
    return statement;
  }) as typeof database.prepare;
  return () => count;
}
