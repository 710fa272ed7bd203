/**
 * The one message protocol between the extension's contexts: popup, options
 * page and content scripts ask, the background answers. Every request and
 * every response has a valibot schema; the background validates what it is
 * asked and what it answers (before sending), and the caller checks the
 * reply's envelope: no shape crosses unchecked, and the portal panel need not
 * carry the schemas.
 *
 * `from` says who may ask: `extension` = the extension's own pages only
 * (popup, options); `any` = those and the content script running in a portal
 * page. Signing in and out, enabling portals and importing adapters are never
 * open to a content script: a compromised portal page must not reach them.
 */
import * as v from 'valibot';
import type { PortalAdapter } from '#shared/portal/adapter.ts';
import type { SyncPhase } from '#shared/client/sync-status.ts';
import { UserSchema } from '#shared/org/roles.ts';
import type { Locale } from '#shared/order/labels.ts';
import { STATUSES } from '#shared/order/status.ts';
import { CHANNELS, ORDER_TYPES } from '#shared/order/intake.ts';
import { ClosePayloadSchema, PHOTO_KINDS } from '#shared/order/events.ts';

const Empty = v.object({});
/* @__NO_SIDE_EFFECTS__ */
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const OrderNo = v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9-]{4,40}$/, 'is not an order number'));
const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));
/** Words the background makes from the engine (a refusal's reason, a duplicate's matches) in both of the panel's languages, so a switch re-words them without asking again. */
const InBothLanguages = v.object({ 'zh-CN': v.string(), en: v.string() });
export type InBothLanguages = v.InferOutput<typeof InBothLanguages>;

/** `word` in each of the panel's languages. */
export const inBothLanguages = (word: (locale: Locale) => string): InBothLanguages => ({ 'zh-CN': word('zh-CN'), en: word('en') });

/** `http(s)://host[:port]`, nothing after it. */
export const OriginSchema = v.pipe(
  v.string(),
  v.check((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'is not an http(s) origin'),
);

export const ServerUrlSchema = v.pipe(
  v.string(),
  v.trim(),
  v.check((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, '不是有效的服务器地址 (http:// 或 https://)'),
);

export const SessionStateSchema = v.object({
  serverUrl: v.string(),
  user: v.nullable(UserSchema),
});
export type SessionState = v.InferOutput<typeof SessionStateSchema>;

/** The shared sync phases (the PWA's sync bar shows the same): spelled out so no page bundles the client; the background assigns a `SyncPhase` to it, so a missing one fails to compile. */
export const SYNC_STATES = ['local', 'offline', 'connecting', 'syncing', 'synced', 'attention', 'signed_out'] as const satisfies readonly SyncPhase[];


export const SyncStatusSchema = v.object({
  state: v.picklist(SYNC_STATES),
  /** While 'offline': the device has a network but the server does not answer (shared/client/sync-status.ts `shownSyncState`). */
  serverUnreachable: v.boolean(),
  /** Events, order intakes and photos this device holds that the server has not confirmed. */
  waiting: v.object({ events: v.number(), intakes: v.number(), photos: v.number() }),
  /** Orders known on this device (from the street's index doc). */
  orders: v.number(),
  lastSyncedAt: v.nullable(v.number()),
  /** Why the last attempt failed, if it did: worded by its code where the pages know it, else its message as is. */
  error: v.nullable(v.object({ code: v.string(), message: v.string() })),
});
export type SyncStatus = v.InferOutput<typeof SyncStatusSchema>;

/** One line of a list: what the popup and the panel show, no personal data. */
export const OrderBriefSchema = v.object({
  id: Id,
  orderNo: v.string(),
  title: v.string(),
  address: v.string(),
  category: v.string(),
  status: v.picklist(STATUSES),
  deadline: v.number(),
  closedAt: v.nullable(v.number()),
});
export type OrderBrief = v.InferOutput<typeof OrderBriefSchema>;

const PhotoRefSchema = v.object({
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  kind: v.picklist(PHOTO_KINDS),
  mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
  size: v.number(),
});

/** What the reply panel needs about an order: its facts and the field result. */
export const OrderDetailSchema = v.object({
  ...OrderBriefSchema.entries,
  type: v.picklist(ORDER_TYPES),
  channel: v.picklist(CHANNELS),
  receivedAt: v.number(),
  handlingUnit: v.nullable(v.string()),
  target: v.nullable(v.object({ unitId: v.string(), unitKind: v.string() })),
  repliedAt: v.nullable(v.number()),
  /** Why 已回复 would not apply now (the reducer's answer for this user), or null when it would. */
  replyRefusal: v.nullable(InBothLanguages),
  /** The close (办结) result, when there is one: what a reply is written from (shared/portal/reply-plan.ts). */
  result: v.nullable(v.intersect([ClosePayloadSchema, v.object({ at: v.number() })])),
  photos: v.array(PhotoRefSchema),
});
export type OrderDetail = v.InferOutput<typeof OrderDetailSchema>;

/** What the content script read from a portal's order page (shared/portal/order-record.ts), checked by the clerk. */
export const PortalOrderSchema = v.object({
  orderNo: OrderNo,
  receivedAt: v.nullable(v.number()),
  deadline: v.nullable(v.number()),
  channel: v.picklist(CHANNELS),
  type: v.picklist(ORDER_TYPES),
  category: Text(50),
  title: Text(200),
  content: Text(5000),
  address: Text(300),
  citizen: v.object({ name: Text(50), phone: v.optional(Text(40)) }),
  handlingUnit: v.optional(Text(100)),
  /** 区县 / 街道 / 社区 as the portal names them: placed onto our units by the background (shared/org/placement.ts). */
  place: v.optional(v.object({ district: v.optional(Text(50)), street: v.optional(Text(50)), community: v.optional(Text(50)) })),
});
export type PortalOrder = v.InferOutput<typeof PortalOrderSchema>;

/** Before an import: where the order will land, the grid to suggest, and likely duplicates this device knows. */
export const ImportPreviewSchema = v.object({
  /** Already in Lianxin under this number (the import would change nothing). */
  existing: v.nullable(v.object({ orderId: v.string(), orderNo: v.string() })),
  place: v.object({
    streetId: v.string(),
    streetName: v.string(),
    communityId: v.nullable(v.string()),
    communityName: v.nullable(v.string()),
    /** What the portal named that could not be placed (shared/org/placement.ts), worded by the panel. */
    notes: v.array(v.object({ code: v.picklist(['street_elsewhere', 'community_unknown']), name: v.string() })),
  }),
  grid: v.nullable(v.object({ id: v.string(), name: v.string() })),
  duplicates: v.array(
    v.object({ orderId: v.string(), orderNo: v.string(), title: v.string(), status: v.picklist(STATUSES), likely: v.boolean(), reasons: InBothLanguages }),
  ),
});
export type ImportPreview = v.InferOutput<typeof ImportPreviewSchema>;

export const ImportResultSchema = v.object({ orderId: Id, orderNo: v.string(), created: v.boolean() });

export const DispatchTreeSchema = v.object({
  street: v.nullable(v.object({ id: v.string(), name: v.string() })),
  communities: v.array(
    v.object({ id: v.string(), name: v.string(), grids: v.array(v.object({ id: v.string(), name: v.string() })) }),
  ),
});
export type DispatchTree = v.InferOutput<typeof DispatchTreeSchema>;

export const PortalStateSchema = v.object({
  origin: v.string(),
  /** The user switched the extension on for this origin and the browser granted it. */
  enabled: v.boolean(),
});

/** An adapter as the protocol carries it; its own schema (shared/portal) checks it where it is used. */
const AdapterJson = v.record(v.string(), v.unknown());
export const AdapterListSchema = v.object({
  builtIn: v.array(AdapterJson),
  imported: v.array(AdapterJson),
});

export const PhotoDataSchema = v.object({ sha256: v.string(), mime: v.string(), base64: v.string() });

type Def<Rq extends v.GenericSchema, Rs extends v.GenericSchema> = {
  readonly from: 'extension' | 'any';
  readonly request: Rq;
  readonly response: Rs;
};
/* @__NO_SIDE_EFFECTS__ */
const def = <Rq extends v.GenericSchema, Rs extends v.GenericSchema>(from: 'extension' | 'any', request: Rq, response: Rs): Def<Rq, Rs> => ({
  from,
  request,
  response,
});

export const PROTOCOL = {
  'session.get': def('any', Empty, SessionStateSchema),
  'session.signIn': def(
    'extension',
    v.object({ serverUrl: ServerUrlSchema, username: v.pipe(v.string(), v.trim(), v.minLength(1, '请输入用户名')), password: v.pipe(v.string(), v.minLength(1, '请输入密码')) }),
    SessionStateSchema,
  ),
  /** Refused while anything is unsynced, unless `discardUnsynced`. */
  'session.signOut': def('extension', v.object({ discardUnsynced: v.optional(v.boolean(), false) }), SessionStateSchema),
  'sync.status': def('any', Empty, SyncStatusSchema),
  'orders.awaitingReply': def('any', Empty, v.array(OrderBriefSchema)),
  'orders.search': def('any', v.object({ query: Text(60) }), v.array(OrderBriefSchema)),
  'orders.detail': def('any', v.object({ orderNo: OrderNo }), v.nullable(OrderDetailSchema)),
  'orders.preview': def('any', v.object({ order: PortalOrderSchema }), ImportPreviewSchema),
  'orders.import': def('any', v.object({ order: PortalOrderSchema, adapterId: Text(64), url: Text(2000) }), ImportResultSchema),
  'orders.dispatch': def('any', v.object({ orderId: Id, unitId: Id }), v.object({ status: v.picklist(STATUSES) })),
  'orders.markReplied': def('any', v.object({ orderId: Id, portal: Text(64) }), v.object({ status: v.picklist(STATUSES) })),
  'org.dispatchTree': def('any', Empty, DispatchTreeSchema),
  'photos.get': def('any', v.object({ sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)) }), PhotoDataSchema),
  'portals.get': def('any', v.object({ origin: OriginSchema }), PortalStateSchema),
  'portals.list': def('extension', Empty, v.array(PortalStateSchema)),
  /** The caller (a page with a user gesture) has already obtained the host permission. */
  'portals.enable': def('extension', v.object({ origin: OriginSchema }), PortalStateSchema),
  'portals.disable': def('extension', v.object({ origin: OriginSchema }), PortalStateSchema),
  'adapters.list': def('any', Empty, AdapterListSchema),
  /** The adapters a panel works with, checked against the adapter schema here in the background: imported ones first, each id once. */
  'adapters.usable': def('any', Empty, v.object({ adapters: v.array(v.custom<PortalAdapter>((a) => typeof a === 'object' && a !== null, 'not an adapter')) })),
  'adapters.import': def('extension', v.object({ adapters: v.array(AdapterJson) }), v.object({ imported: v.array(v.string()) })),
  'adapters.remove': def('extension', v.object({ id: Text(64) }), Empty),
  /** A content script that needs a rich-text editor's API installs the page-world script with its own secret. */
  /** The portal content script asks for the panel: injected when an adapter matches the page's address, or on `force` (the clerk opened the tab). */
  'panel.load': def('any', v.object({ force: v.boolean() }), v.object({ loaded: v.boolean() })),
  /** The panel asks for the teaching script (entrypoints/portal-teach.ts) when an admin opens teaching: injected into its frame. */
  'teach.load': def('any', Empty, Empty),
  /** The panel asks for a locale's messages it does not carry (English: entrypoints/portal-en.ts), injected into its frame. */
  'panel.locale': def('any', v.object({ locale: v.literal('en') }), Empty),
  'page.installWorld': def('any', v.object({ secret: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)) }), Empty),
  /** Teach mode saves what an admin built on a portal page; the background checks role and schema. */
  'adapters.save': def('any', v.object({ adapter: AdapterJson }), v.object({ id: v.string() })),
} as const;

/** Who may build and save adapters in teach mode: office admins. */
export const TEACH_ROLES: readonly string[] = ['admin'];

export type RequestType = keyof typeof PROTOCOL;
export type RequestOf<K extends RequestType> = v.InferInput<(typeof PROTOCOL)[K]['request']>;
export type ParsedRequestOf<K extends RequestType> = v.InferOutput<(typeof PROTOCOL)[K]['request']>;
export type ResponseOf<K extends RequestType> = v.InferOutput<(typeof PROTOCOL)[K]['response']>;

/** On the wire: `{ lianxin: 1, type, payload }` → `{ ok: true, value } | { ok: false, error }`. */
export const EnvelopeSchema = v.object({ lianxin: v.literal(1), type: v.picklist(/* @__PURE__ */ Object.keys(PROTOCOL) as RequestType[]), payload: v.unknown() });
export type Envelope = v.InferOutput<typeof EnvelopeSchema>;

export const ReplySchema = v.variant('ok', [
  v.object({ ok: v.literal(true), value: v.unknown() }),
  v.object({
    ok: v.literal(false),
    error: v.object({ code: v.string(), message: v.string(), field: v.optional(v.string()), params: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))) }),
  }),
]);
export type Reply = v.InferOutput<typeof ReplySchema>;
