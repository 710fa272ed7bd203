/** Shares of the orders received in a period by type, category or channel (受理量构成). */
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

export type ShareKey = 'type' | 'category' | 'channel';

export interface Share {
  readonly key: string;
  readonly count: number;
  /** 0–1 of the orders received. */
  readonly share: number;
  readonly ids: readonly string[];
}

/** Largest first; ties by key. */
export function sharesBy(rows: readonly IndicatorRow[], period: Period, by: ShareKey): Share[] {
  const received = receivedRows(rows, period);
  const groups = new Map<string, string[]>();
  for (const row of received) {
    const key = row[by];
    const list = groups.get(key);
    if (list) list.push(row.id);
    else groups.set(key, [row.id]);
  }
  return [...groups]
    .map(([key, ids]) => ({ key, count: ids.length, share: ids.length / received.length, ids }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}
