import { describe, expect, it } from 'vitest';
import { archiveMonthOfLeaving, archiveMonthsOf, cstMonthOf, indexPlacement, liveUntil, liveWindowOf, MAX_ARCHIVE_MONTHS, nextMonth, previousMonth, recentArchiveMonths } from '#shared/order/index-placement.ts';
import { archiveIndexDocName, parseDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 8);
const closed = (status: 'closed' | 'archived' | 'in_progress', closedAgo: number | null) => ({
  status,
  conflictCount: 0,
  closedAt: closedAgo === null ? null : NOW - closedAgo,
  receivedAt: NOW - 60 * DAY,
});

describe('indexPlacement', () => {
  it('keeps open orders live however old, and closed ones until their time in the live index runs out', () => {
    expect(indexPlacement(closed('in_progress', null), NOW, 30 * DAY)).toEqual({ live: true });
    // Archived or merged: nothing left for anyone to do, it leaves at once for the month it closed in.
    expect(indexPlacement(closed('archived', 3 * DAY), NOW, 30 * DAY)).toEqual({ live: false, month: cstMonthOf(NOW - 3 * DAY) });
    expect(indexPlacement(closed('archived', 0), NOW, 30 * DAY)).toEqual({ live: false, month: cstMonthOf(NOW) });
    expect(indexPlacement(closed('archived', 31 * DAY), NOW, 30 * DAY)).toEqual({ live: false, month: cstMonthOf(NOW - 31 * DAY) });
    expect(indexPlacement({ status: 'merged', closedAt: null, receivedAt: NOW - DAY, conflictCount: 0 }, NOW, 30 * DAY)).toEqual({ live: false, month: cstMonthOf(NOW - DAY) });
    // 已回访 still waits for 归档: live for the window after closing.
    expect(indexPlacement({ ...closed('closed', 29 * DAY), status: 'called_back' }, NOW, 30 * DAY)).toEqual({ live: true });
    // Work left for the office (审核 / 答复 / 回访): live however old; nothing left to do: it leaves.
    expect(indexPlacement(closed('closed', 300 * DAY), NOW, 30 * DAY)).toEqual({ live: true });
    expect(indexPlacement({ ...closed('closed', 300 * DAY), status: 'reviewed' }, NOW, 30 * DAY)).toEqual({ live: true });
    expect(indexPlacement({ ...closed('closed', 300 * DAY), status: 'replied' }, NOW, 30 * DAY)).toEqual({ live: true });
    expect(indexPlacement({ ...closed('closed', 31 * DAY), status: 'called_back' }, NOW, 30 * DAY)).toMatchObject({ live: false });
    // A 重办 (of a called-back order; rules.ts allows none of an archived one) makes it open: live again.
    expect(indexPlacement({ ...closed('closed', 300 * DAY), status: 'in_progress' }, NOW, 30 * DAY)).toEqual({ live: true });
    // A conflict not resolved is the desk's (冲突): live however old.
    expect(indexPlacement({ ...closed('archived', 300 * DAY), conflictCount: 1 }, NOW, 30 * DAY)).toEqual({ live: true });
    expect(liveUntil({ ...closed('archived', 300 * DAY), conflictCount: 1 }, 30 * DAY)).toBeNull();
    expect(liveUntil({ ...closed('closed', 10 * DAY), status: 'called_back' }, 30 * DAY)).toBe(NOW - 10 * DAY + 30 * DAY);
    // Off: everything live, as before archives.
    expect(indexPlacement(closed('archived', 300 * DAY), NOW, null)).toEqual({ live: true });
    expect(liveWindowOf('archived', 30 * DAY)).toBe(0);
    expect(liveWindowOf('called_back', 30 * DAY)).toBe(30 * DAY);
    expect(liveWindowOf('replied', 30 * DAY)).toBeNull();
    expect(liveWindowOf('merged', null)).toBeNull();
  });

  it('names the month on China Standard Time', () => {
    expect(cstMonthOf(Date.UTC(2026, 10, 30, 15, 59))).toBe('2026-11');
    expect(cstMonthOf(Date.UTC(2026, 10, 30, 16, 0))).toBe('2026-12');
    expect(cstMonthOf(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027-01');
  });
});

describe('archive months of a period', () => {
  it('lists the CST months a period touches, oldest first, at most MAX_ARCHIVE_MONTHS from its start', () => {
    // 2026-11-01 00:00 CST to 2027-01-01 00:00 CST: November and December.
    const from = Date.UTC(2026, 9, 31, 16);
    const to = Date.UTC(2026, 11, 31, 16);
    expect(archiveMonthsOf(from, to)).toEqual(['2026-11', '2026-12']);
    expect(archiveMonthsOf(from, from + 1)).toEqual(['2026-11']);
    expect(archiveMonthsOf(to, from)).toEqual([]);
    const long = archiveMonthsOf(Date.UTC(2020, 0, 1), to);
    expect(long).toHaveLength(MAX_ARCHIVE_MONTHS);
    expect(long[0]).toBe('2020-01');
    expect(long.at(-1)).toBe('2021-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-10')).toBe('2026-09');
    // 已办 / 全部: last month's and this month's archives, on CST.
    expect(recentArchiveMonths(NOW)).toEqual(['2026-11', '2026-12']);
    expect(recentArchiveMonths(Date.UTC(2026, 11, 31, 16))).toEqual(['2026-12', '2027-01']);
  });

  it('names the month an entry leaving a live index went to, and none for an open order moving elsewhere', () => {
    expect(archiveMonthOfLeaving(closed('archived', 40 * DAY))).toBe(cstMonthOf(NOW - 40 * DAY));
    expect(archiveMonthOfLeaving({ status: 'replied', closedAt: null, receivedAt: NOW })).toBe(cstMonthOf(NOW));
    expect(archiveMonthOfLeaving(closed('in_progress', null))).toBeNull();
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
