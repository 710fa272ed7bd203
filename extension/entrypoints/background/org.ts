/**
 * The clerk's part of the organisation, for 派单: the street's communities and
 * their grids. Fetched from `GET /api/org` and kept in extension storage, so
 * dispatching works offline with the tree last seen.
 */
import * as v from 'valibot';
import { storage } from 'wxt/utils/storage';
import { UnitSchema, type Unit } from '#shared/org/units.ts';
import { validate } from '#shared/validation/result.ts';
import { RequestError } from '../../lib/messaging.ts';
import type { ActiveSession } from './session.ts';

const unitsItem = storage.defineItem<{ userId: string; units: Unit[] } | null>('local:orgUnits', { fallback: null });
const OrgReplySchema = v.object({ units: v.array(UnitSchema) });

/** Units of the user's branch: fresh from the server, or the last copy when offline. */
export async function orgUnits(session: ActiveSession): Promise<Unit[]> {
  try {
    const response = await fetch(new URL('api/org', `${session.serverUrl}/`).href, {
      headers: { Authorization: `Bearer ${session.token}` },
      cache: 'no-store',
      credentials: 'omit',
    });
    if (!response.ok) throw new RequestError(`http_${response.status}`, `服务器拒绝读取组织架构（${response.status}）`);
    const body = validate(OrgReplySchema, await response.json());
    if (!body.ok) throw new RequestError('bad_reply', '服务器返回的组织架构格式不对');
    await unitsItem.setValue({ userId: session.user.id, units: body.value.units });
    return body.value.units;
  } catch (error) {
    const cached = await unitsItem.getValue();
    if (cached && cached.userId === session.user.id) return cached.units;
    if (error instanceof RequestError) throw error;
    throw new RequestError('offline', '无法连接服务器，且本机没有组织架构的副本');
  }
}

export async function clearOrgCache(): Promise<void> {
  await unitsItem.removeValue();
}
