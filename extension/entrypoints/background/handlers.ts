/**
 * The background's answer to every request of the protocol. Each handler
 * reads what it needs from disk (session, settings, IndexedDB) rather than
 * from memory, so a worker Chrome restarted answers exactly as before.
 */
import type { LianxinDb } from '#shared/local/db.ts';
import { RequestError, type Handlers } from '../../lib/messaging.ts';
import { builtInAdapters, importAdapters, importedAdapters, removeAdapter, usableAdapters } from './adapters.ts';
import { clearOrgCache, orgUnits } from './org.ts';
import { dispatchTreeOf } from './org-tree.ts';
import { awaitingReply, detail, dispatchTo, importOrder, previewImport, search } from './orders.ts';
import { markReplied } from './reply-rule.ts';
import { activeOrigins, disablePortal, enablePortal, portalState } from './portal-registry.ts';
import { asRequestError, type SessionService } from './session.ts';
import { injectEnglish, injectPanel, injectTeach, installPageWorld } from './page-world.ts';
import { pagesForUrl } from '#shared/portal/url.ts';
import { TEACH_ROLES } from '../../lib/protocol.ts';
import type { ClerkSync } from './sync.ts';
import { PortalAdapterSchema } from '#shared/portal/adapter.ts';
import { formatErrors, validate } from '#shared/validation/result.ts';

export interface BackgroundDeps {
  readonly db: LianxinDb;
  readonly session: SessionService;
  readonly sync: ClerkSync;
  readonly now: () => number;
}

export function createHandlers({ db, session, sync, now }: BackgroundDeps): Handlers {
  return {
    'session.get': () => session.state(),

    'session.signIn': async ({ serverUrl, username, password }) => {
      await session.signIn(serverUrl, username, password);
      sync.noteError(null);
      return session.state();
    },

    'session.signOut': async ({ discardUnsynced }) => {
      if (!(await session.signOut(discardUnsynced))) {
        throw new RequestError('unsynced', '还有未同步到服务器的工作，联网同步后再退出（或选择放弃未同步的工作）');
      }
      await clearOrgCache();
      return session.state();
    },

    'sync.status': () => sync.status(),

    'orders.awaitingReply': async () => {
      await session.require();
      return awaitingReply(db);
    },

    'orders.search': async ({ query }) => {
      await session.require();
      return search(db, query);
    },

    'orders.detail': async ({ orderNo }) => {
      const active = await session.require();
      return detail(db, sync.orders, orderNo, active.user);
    },

    'orders.preview': async ({ order }) => {
      const active = await session.require();
      return previewImport(db, active, order, now());
    },

    'orders.import': async ({ order, adapterId, url }) => {
      const active = await session.require();
      const result = await importOrder(active, order, adapterId, url, now());
      await sync.follow(result.orderId);
      return result;
    },

    'orders.dispatch': async ({ orderId, unitId }) => {
      const active = await session.require();
      const tree = dispatchTreeOf(await orgUnits(active), active.user.unitId);
      if (!tree.communities.some((c) => c.grids.some((g) => g.id === unitId))) {
        throw new RequestError('grid_not_in_street', '只能派给本街道的网格', 'unitId');
      }
      return dispatchTo(sync.orders, orderId, unitId);
    },

    'orders.markReplied': async ({ orderId, portal }) => {
      const active = await session.require();
      return markReplied(sync.orders, orderId, portal, active.user);
    },

    'org.dispatchTree': async () => {
      const active = await session.require();
      return dispatchTreeOf(await orgUnits(active), active.user.unitId);
    },

    'photos.get': async ({ sha256 }) => {
      const active = await session.require();
      const local = await db.photos.get(sha256);
      let blob: Blob;
      try {
        blob = local?.blob ?? (await active.api.getPhoto(active.token, sha256));
      } catch (error) {
        const failed = asRequestError(error);
        // Plain words, not the server's English and a raw hash.
        if (failed.code === 'not_found') throw new RequestError('photo_missing', `有一张照片（编号 ${sha256.slice(0, 6)}）还不在服务器上：拍照的手机可能还没有上传，请稍后再试`, null, { hash: sha256.slice(0, 6) });
        throw failed;
      }
      return { sha256, mime: blob.type || 'image/jpeg', base64: await toBase64(blob) };
    },

    'panel.load': async ({ force }, caller) => {
      // Content scripts reach here only from enabled portals (the gate in start.ts).
      if (caller.extensionPage) throw new RequestError('forbidden', 'only a content script can ask for the panel');
      const adapters = [...(await importedAdapters()), ...builtInAdapters()];
      if (!force && (caller.url === null || pagesForUrl(adapters, caller.url).length === 0)) return { loaded: false };
      await injectPanel(caller);
      return { loaded: true };
    },
    'panel.locale': async (_payload, caller) => {
      if (caller.extensionPage) throw new RequestError('forbidden', 'only a content script can ask for the panel’s messages');
      await injectEnglish(caller);
      return {};
    },
    'teach.load': async (_payload, caller) => {
      // Teaching is for admins (saving checks again): others are not sent the script.
      if (caller.extensionPage) throw new RequestError('forbidden', 'only a content script can ask for teaching');
      const active = await session.require();
      if (!TEACH_ROLES.includes(active.user.role)) throw new RequestError('teach_admin_only', '只有管理员可以教连心识别门户页面');
      await injectTeach(caller);
      return {};
    },
    'page.installWorld': async ({ secret }, caller) => {
      // Content scripts reach here only from enabled portals (the gate in start.ts).
      if (caller.extensionPage) throw new RequestError('forbidden', 'only a content script can ask for the page script');
      await installPageWorld(caller, secret);
      return {};
    },

    'portals.get': ({ origin }) => portalState(origin),
    'portals.list': async () => (await activeOrigins()).map((origin) => ({ origin, enabled: true })),
    'portals.enable': ({ origin }) => enablePortal(origin),
    'portals.disable': ({ origin }) => disablePortal(origin),

    'adapters.list': async () => ({ builtIn: builtInAdapters(), imported: await importedAdapters() }),
    'adapters.usable': async () => ({ adapters: await usableAdapters() }),
    'adapters.import': async ({ adapters }) => ({ imported: await importAdapters(adapters) }),
    'adapters.remove': async ({ id }) => {
      await removeAdapter(id);
      return {};
    },
    'adapters.save': async ({ adapter }) => {
      const active = await session.require();
      if (!TEACH_ROLES.includes(active.user.role)) throw new RequestError('save_adapter_admin_only', '只有管理员可以保存门户识别规则');
      const checked = validate(PortalAdapterSchema, adapter);
      if (!checked.ok) throw new RequestError('invalid_taught_adapter', `识别规则不合格：${formatErrors(checked.errors)}`, checked.errors[0]?.field, { errors: formatErrors(checked.errors) });
      await importAdapters([checked.value]);
      return { id: checked.value.id };
    },
  };
}

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
