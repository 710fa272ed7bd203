/**
 * Hot spots (热点): the addresses and communities most orders of a period
 * come from, and repeated complaints — complaints of one category at one
 * address, more than once in the period.
 */
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

export interface HotSpot {
  readonly key: string;
  readonly count: number;
  readonly ids: readonly string[];
}

/** Addresses compared without spaces and punctuation, so 北海路12号 and 北海路 12 号 meet. */
export function addressKey(address: string): string {
  return address.replace(/[\s,，。.、;；:：()（）-]/g, '');
}

function top(groups: Map<string, string[]>, limit: number, min: number): HotSpot[] {
  return [...groups]
    .filter(([, ids]) => ids.length >= min)
    .map(([key, ids]) => ({ key, count: ids.length, ids }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .slice(0, limit);
}

function group(rows: readonly IndicatorRow[], keyOf: (row: IndicatorRow) => string | null): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(row.id);
    else groups.set(key, [row.id]);
  }
  return groups;
}

export interface HotSpots {
  /** Keyed by the first spelling of the address seen. */
  readonly addresses: readonly HotSpot[];
  /** Keyed by community id. */
  readonly communities: readonly HotSpot[];
  /** Keyed by `category · address`. */
  readonly repeatedComplaints: readonly HotSpot[];
}

export function hotSpotsOf(rows: readonly IndicatorRow[], period: Period, limit = 10): HotSpots {
  const received = receivedRows(rows, period);
  // The same addresses come back order after order: each spelling is cleaned once.
  const keys = new Map<string, string>();
  const keyOf = (address: string): string => {
    let key = keys.get(address);
    if (key === undefined) keys.set(address, (key = addressKey(address)));
    return key;
  };
  const spelling = new Map<string, string>();
  const byAddress = group(received, (r) => {
    const key = keyOf(r.address);
    if (!spelling.has(key)) spelling.set(key, r.address);
    return key;
  });
  const addresses = top(byAddress, limit, 2).map((h) => ({ ...h, key: spelling.get(h.key) ?? h.key }));
  const complaints = received.filter((r) => r.type === 'complaint');
  return {
    addresses,
    communities: top(
      group(received, (r) => r.communityId),
      limit,
      1,
    ),
    repeatedComplaints: top(
      group(complaints, (r) => `${r.category} · ${spelling.get(keyOf(r.address)) ?? r.address}`),
      limit,
      2,
    ),
  };
}
