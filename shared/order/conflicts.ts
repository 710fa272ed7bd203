/**
 * Why an event is invalid where it landed. The reducer keeps such events in
 * the timeline and lists them as conflicts for a clerk; each runtime shows
 * the reason in the user's language from this one catalogue.
 */
import type { EventType } from './events.ts';
import { statusName, type Locale } from './labels.ts';
import type { Status } from './status.ts';

export type ConflictReason =
  | { code: 'role_not_allowed'; role: string }
  | { code: 'wrong_state'; status: Status }
  | { code: 'not_handler'; assignee: string | null }
  | { code: 'no_pending_extension' }
  | { code: 'extension_pending' }
  | { code: 'extension_not_later'; deadline: number }
  | { code: 'unknown_photo'; sha256: string }
  | { code: 'callback_unsatisfied' }
  | { code: 'redo_deadline_past'; until: number }
  | { code: 'unknown_conflict'; eventId: string }
  | { code: 'conflict_already_resolved'; eventId: string };

export interface Conflict {
  readonly eventId: string;
  readonly type: EventType;
  readonly actor: string;
  readonly reason: ConflictReason;
  /** The conflict_resolve event that settled it, if any. */
  readonly resolvedBy: string | null;
}

export function describeConflict(reason: ConflictReason, locale: Locale = 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  switch (reason.code) {
    case 'role_not_allowed':
      return zh ? `角色 ${reason.role} 无权进行此操作` : `role ${reason.role} may not do this`;
    case 'wrong_state':
      return zh
        ? `工单当时为「${statusName(reason.status, locale)}」，不能进行此操作`
        : `the order was ${statusName(reason.status, locale)} at that point`;
    case 'not_handler':
      return zh
        ? `只有承办人${reason.assignee ? `（${reason.assignee}）` : ''}可以进行此操作`
        : `only the handler${reason.assignee ? ` (${reason.assignee})` : ''} may do this`;
    case 'no_pending_extension':
      return zh ? '没有待审批的延期申请' : 'there is no pending extension request';
    case 'extension_pending':
      return zh ? '已有一项延期申请待审批' : 'an extension request is already pending';
    case 'extension_not_later':
      return zh ? '延期后的期限必须晚于当前期限' : 'the new deadline must be later than the current one';
    case 'unknown_photo':
      return zh
        ? `办结引用的照片 ${reason.sha256.slice(0, 8)} 未添加到工单`
        : `the close refers to photo ${reason.sha256.slice(0, 8)}, which was never added`;
    case 'callback_unsatisfied':
      return zh ? '回访不满意，应重办而不是归档' : 'the call-back was unsatisfied: reopen instead of archiving';
    case 'redo_deadline_past':
      return zh ? '重办期限必须晚于退回的时间' : 'the deadline for the redo must lie after the decision';
    case 'unknown_conflict':
      return zh ? `没有编号为 ${reason.eventId} 的冲突` : `there is no conflict ${reason.eventId}`;
    case 'conflict_already_resolved':
      return zh ? `冲突 ${reason.eventId} 已处理` : `conflict ${reason.eventId} is already resolved`;
  }
}
