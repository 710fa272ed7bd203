import { describe, expect, it } from 'vitest';
import {
  FINAL_STATUSES,
  NOT_FINAL_STATUSES,
  OPEN_STATUSES,
  RESULT_STATUSES,
  STATUSES,
  inboxTab,
  isFinalStatus,
  isOpenStatus,
  isResultStatus,
  type InboxTab,
  type Status,
} from '#shared/order/status.ts';

describe('status sets', () => {
  it('splits the statuses into final and not final', () => {
    expect([...FINAL_STATUSES, ...NOT_FINAL_STATUSES].sort()).toEqual([...STATUSES].sort());
    expect(NOT_FINAL_STATUSES.filter(isFinalStatus)).toEqual([]);
  });

  it('makes every status exactly one of open, carrying a result, or merged', () => {
    for (const status of STATUSES) {
      const kinds = [isOpenStatus(status), isResultStatus(status), status === 'merged'].filter(Boolean);
      expect(kinds, status).toHaveLength(1);
    }
    expect(OPEN_STATUSES.length + RESULT_STATUSES.length + 1).toBe(STATUSES.length);
  });

  it('puts an order in the handler’s tab by its status', () => {
    // A Record, so that a new status does not compile here until it has a tab.
    const tabs: Record<Status, InboxTab> = {
      pending_dispatch: 'other',
      dispatched: 'todo',
      returned: 'other',
      in_progress: 'doing',
      closed: 'done',
      reviewed: 'done',
      replied: 'done',
      called_back: 'done',
      archived: 'done',
      merged: 'other',
    };
    for (const status of STATUSES) expect(inboxTab(status), status).toBe(tabs[status]);
  });
});
