import { describe, expect, it } from 'vitest';
import { cstMonthOf, indexPlacement } from '#shared/order/index-placement.ts';
import { archiveIndexDocName, parseDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 8);
const closed = (status: 'closed' | 'archived' | 'in_progress', closedAgo: number | null) => ({
  status,
  closedAt: closedAgo === null ? null : NOW - closedAgo,
  receivedAt: NOW - 60 * DAY,
});

describe('indexPlacement', () => {
  it('keeps open orders live however old, and closed ones until their time in the live index runs out', () => {
    expect(indexPlacement(closed('in_progress', null), NOW, 30 * DAY)).toEqual({ live: true });
    expect(indexPlacement(closed('archived', 29 * DAY), NOW, 30 * DAY)).toEqual({ live: true });
    expect(indexPlacement(closed('archived', 31 * DAY), NOW, 30 * DAY)).toEqual({ live: false, month: cstMonthOf(NOW - 31 * DAY) });
    expect(indexPlacement(closed('closed', 31 * DAY), NOW, 30 * DAY)).toMatchObject({ live: false });
    // Off: everything live, as before archives.
    expect(indexPlacement(closed('archived', 300 * DAY), NOW, null)).toEqual({ live: true });
  });

  it('names the month on China Standard Time', () => {
    expect(cstMonthOf(Date.UTC(2026, 10, 30, 15, 59))).toBe('2026-11');
    expect(cstMonthOf(Date.UTC(2026, 10, 30, 16, 0))).toBe('2026-12');
    expect(cstMonthOf(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027-01');
  });
});

describe('archive index doc names', () => {
  it('parse to their unit and month, and nothing else does', () => {
    const name = archiveIndexDocName(streetIndexDocName('d1-s1'), '2026-11');
    expect(name).toBe('street:d1-s1:archive:2026-11');
    expect(parseDocName(name)).toEqual({ kind: 'street', id: 'd1-s1', archive: '2026-11' });
    expect(parseDocName('street:d1-s1')).toEqual({ kind: 'street', id: 'd1-s1' });
    for (const bad of ['order:o-1:archive:2026-11', 'street:d1-s1:archive:2026-13', 'street:d1-s1:archive:', 'street:a:b']) expect(parseDocName(bad), bad).toBeNull();
  });
});
