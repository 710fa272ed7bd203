/**
 * What a sync indicator shows, apart from the rest of sync-status.ts (which
 * reads the device database) so the extension's popup can use it without
 * bundling that.
 */
import type { SyncPhase, SyncStatus } from './sync-status.ts';

/**
 * What a sync indicator shows: the phase, except that 'offline' with a
 * network but no answer from the server reads as 'unreachable'
 * ("服务器暂时无法连接，工作已保存在本机"), so a user on good signal looks at the
 * server rather than at their signal ("无网络"). The PWA's bar and the
 * extension's popup both show this.
 */
export type ShownSyncState = SyncPhase | 'unreachable';

export function shownSyncState(status: Pick<SyncStatus, 'phase' | 'serverUnreachable'>): ShownSyncState {
  return status.phase === 'offline' && status.serverUnreachable ? 'unreachable' : status.phase;
}
