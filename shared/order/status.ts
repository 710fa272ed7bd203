/** Derived order statuses, in lifecycle order. Never stored: the reducer computes them. */
export const STATUSES = [
  'pending_dispatch', // 待派单 (受理 done, not yet sent to a grid)
  'dispatched', // 待签收
  'returned', // 已退回: back with the clerk for re-dispatch
  'in_progress', // 处理中
  'closed', // 已办结, awaiting 审核
  'reviewed', // 审核通过, awaiting 回复 into the portal
  'replied', // 已回复
  'called_back', // 已回访
  'archived', // 已归档
  'merged', // 已并单 into another order
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which the order is still being worked on and can run overdue. */
export const OPEN_STATUSES = ['pending_dispatch', 'dispatched', 'returned', 'in_progress'] as const satisfies readonly Status[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

const OPEN: ReadonlySet<Status> = new Set(OPEN_STATUSES);

export function isOpenStatus(status: Status): status is OpenStatus {
  return OPEN.has(status);
}

/**
 * Statuses the order never leaves: nothing moves it on, its doc leaves the
 * devices and its words leave their search index.
 */
export const FINAL_STATUSES = ['archived', 'merged'] as const satisfies readonly Status[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

export function isFinalStatus(status: Status): status is FinalStatus {
  return (FINAL_STATUSES as readonly Status[]).includes(status);
}

/** Statuses in which something can still happen to the order: every one but the final ones. */
export const NOT_FINAL_STATUSES: readonly Exclude<Status, FinalStatus>[] = STATUSES.filter(
  (status): status is Exclude<Status, FinalStatus> => !isFinalStatus(status),
);

/** Statuses in which the order carries a close result. */
export const RESULT_STATUSES = ['closed', 'reviewed', 'replied', 'called_back', 'archived'] as const satisfies readonly Status[];
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export function isResultStatus(status: Status): status is ResultStatus {
  return (RESULT_STATUSES as readonly Status[]).includes(status);
}

/** The handler's inbox tabs: 待签收 / 处理中 / 已办结; the rest is the clerk's business. */
export type InboxTab = 'todo' | 'doing' | 'done' | 'other';

export function inboxTab(status: Status): InboxTab {
  if (status === 'dispatched') return 'todo';
  if (status === 'in_progress') return 'doing';
  // 已办结 to the handler is "my result is in", whatever the clerk does with it next.
  return isResultStatus(status) ? 'done' : 'other';
}
