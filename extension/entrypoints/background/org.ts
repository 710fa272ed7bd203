/**
 * The clerk's part of the organisation, for 派单: the street's communities and
 * their grids. Fetched from `GET /api/org` and kept in extension storage, so
 * dispatching works offline with the tree last seen.
 */
import { storage } from 'wxt/utils/storage';
import { ApiError } from '#shared/client/api-error.ts';
import type { Unit } from '#shared/org/units.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { ActiveSession } from './session.ts';

const unitsItem = storage.defineItem<{ userId: string; units: Unit[] } | null>('local:orgUnits', { fallback: null });

/** Units of the user's branch: fresh from the server, or the last copy when offline. */
export async function orgUnits(session: ActiveSession): Promise<readonly Unit[]> {
  try {
    const { units } = await session.api.org(session.token);
    await unitsItem.setValue({ userId: session.user.id, units: [...units] });
    return units;
  } catch (error) {
    const cached = await unitsItem.getValue();
    if (cached && cached.userId === session.user.id) return cached.units;
    if (error instanceof ApiError && error.offline) throw new RequestError('org_offline', '无法连接服务器，且本机没有组织架构的副本');
    if (error instanceof ApiError && error.code === 'bad_reply') throw new RequestError('org_bad_reply', '服务器返回的组织架构格式不对');
    if (error instanceof ApiError) throw new RequestError('org_refused', `服务器拒绝读取组织架构（${error.status}）`, null, { status: error.status });
    throw error;
  }
}

export async function clearOrgCache(): Promise<void> {
  await unitsItem.removeValue();
}
