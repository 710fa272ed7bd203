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

export function isOpenStatus(status: Status): status is OpenStatus {
  return (OPEN_STATUSES as readonly Status[]).includes(status);
}

/** Statuses in which the order carries a close result. */
export const RESULT_STATUSES: readonly Status[] = ['closed', 'reviewed', 'replied', 'called_back', 'archived'];

/** The handler's inbox tabs: 待签收 / 处理中 / 已办结; the rest is the clerk's business. */
export type InboxTab = 'todo' | 'doing' | 'done' | 'other';

export function inboxTab(status: Status): InboxTab {
  switch (status) {
    case 'dispatched':
      return 'todo';
    case 'in_progress':
      return 'doing';
    case 'closed':
    case 'reviewed':
    case 'replied':
    case 'called_back':
    case 'archived':
      return 'done';
    default:
      return 'other';
  }
}
