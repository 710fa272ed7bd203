/**
 * What the order's states are called, in each language the apps speak. Kept
 * in the core rather than in an app's messages so that the screens and the
 * conflict texts (conflicts.ts) name a status the same way.
 */
import type { Status } from './status.ts';

export type Locale = 'zh-CN' | 'en';

const STATUS_NAMES: Record<Locale, Record<Status, string>> = {
  'zh-CN': {
    pending_dispatch: '待派单',
    dispatched: '待签收',
    returned: '已退回',
    in_progress: '处理中',
    closed: '已办结',
    reviewed: '已审核',
    replied: '已回复',
    called_back: '已回访',
    archived: '已归档',
    merged: '已并单',
  },
  en: {
    pending_dispatch: 'awaiting dispatch',
    dispatched: 'awaiting acceptance',
    returned: 'returned',
    in_progress: 'in progress',
    closed: 'closed',
    reviewed: 'reviewed',
    replied: 'replied',
    called_back: 'called back',
    archived: 'archived',
    merged: 'merged',
  },
};

export function statusName(status: Status, locale: Locale = 'zh-CN'): string {
  return STATUS_NAMES[locale][status];
}
