import * as Y from 'yjs';
import type { LogStats } from '#server/store/store.ts';

/** A log entry setting `key` in map `m`. */
export function entry(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set(key, key);
  return Y.encodeStateAsUpdate(doc);
}

/** A fold check that says yes from `entries` log entries on, and every size it was asked about. */
export function foldFrom(entries: number): { readonly asked: LogStats[]; readonly worthIt: (stats: LogStats) => boolean } {
  const asked: LogStats[] = [];
  return {
    asked,
    worthIt: (stats) => {
      asked.push(stats);
      return stats.logEntries >= entries;
    },
  };
}
