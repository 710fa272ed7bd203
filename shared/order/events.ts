/**
 * Every lifecycle event of a work order. Events are plain immutable JSON,
 * appended to the order's Y.Doc and never edited or removed; the order's
 * state is derived from them by the reducer.
 */
import * as v from 'valibot';
import { ROLES, UserIdSchema } from '../org/roles.ts';
import { UnitIdSchema } from '../org/units.ts';
import { isHlc } from '../clock/hlc.ts';
import { validate, type Validated } from '../validation/result.ts';
import {
  LocationSchema,
  PhoneSchema,
  Sha256Schema,
  TimestampSchema,
  requiredText,
  text,
} from './values.ts';

/** The kinds of photo a portal's handling form asks for, each to its own upload widget. */
export const PHOTO_KINDS = [
  'handling', // 办理附件: on-site and handling photos
  'contact', // 联系证据: proof the citizen was contacted
  'document', // 证件附件: ID or official documents
] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/**
 * 处置前 / 处置后: a handling photo showing the scene before or after the work,
 * shown side by side. Still a handling photo: the portal fill files it as 办理附件.
 */
export const PHOTO_STAGES = ['before', 'after'] as const;
export type PhotoStage = (typeof PHOTO_STAGES)[number];

export const RESOLUTIONS = ['resolved', 'partly', 'unresolved'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const CONTACT_METHODS = ['phone', 'visit', 'sms', 'wechat', 'other'] as const;
export const SATISFACTION = ['satisfied', 'basic', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];
export const SUPERVISION_ACTIONS = ['reminder', 'warning', 'listed'] as const;
/** How a call-back reached the citizen (回访方式); `unreachable` records a failed attempt, with the satisfaction the office then counts. */
export const CALLBACK_REACH = ['phone', 'sms', 'visit', 'unreachable'] as const;
export type CallbackReach = (typeof CALLBACK_REACH)[number];
/** The longest response time a 督办 may ask for: 30 days, in hours. */
export const SUPERVISE_RESPOND_MAX_HOURS = 720;
export const RETURN_CODES = ['wrong_jurisdiction', 'beyond_remit', 'duplicate', 'info_missing', 'other'] as const;

const EventIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'is not an event id'));

/** A photo taken in the field, referenced by content hash; the bytes live outside the doc. */
export const PhotoMetaSchema = v.object({
  sha256: Sha256Schema,
  kind: v.picklist(PHOTO_KINDS),
  mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
  size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(30 * 1024 * 1024, 'larger than 30 MB')),
  width: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20000)),
  height: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20000)),
  /** Device time at capture; compare with the event's serverOffsetMs. */
  takenAt: TimestampSchema,
  location: LocationSchema,
  caption: v.optional(text(200)),
  stage: v.optional(v.picklist(PHOTO_STAGES)),
});
export type PhotoMeta = v.InferOutput<typeof PhotoMetaSchema>;

const ContactSchema = v.pipe(
  v.object({
    contacted: v.boolean(),
    method: v.optional(v.picklist(CONTACT_METHODS)),
    at: v.optional(TimestampSchema),
    /** 联系号码: the number actually used (stored as given; shown masked). */
    number: v.optional(PhoneSchema),
    note: v.optional(text(500)),
    /**
     * 无法联系: not contacted although tried (no answer, number out of
     * service), as opposed to not contacted at all (未联系). Only with
     * `contacted: false`; `note` says what was tried.
     */
    unreachable: v.optional(v.boolean()),
  }),
  v.forward(
    v.partialCheck([['contacted'], ['unreachable']], (c) => !(c.contacted && c.unreachable), 'a citizen contacted was not unreachable'),
    ['unreachable'],
  ),
  v.forward(
    v.partialCheck(
      [['contacted'], ['method']],
      (c) => !c.contacted || c.method !== undefined,
      'say how the citizen was contacted',
    ),
    ['method'],
  ),
  v.forward(
    v.partialCheck([['contacted'], ['at']], (c) => !c.contacted || c.at !== undefined, 'say when the citizen was contacted'),
    ['at'],
  ),
  v.forward(
    v.partialCheck(
      [['contacted'], ['note']],
      (c) => c.contacted || (c.note ?? '').length > 0,
      'say why the citizen was not contacted',
    ),
    ['note'],
  ),
);

/** 办结: what the clerk will need to fill the portal's handling form. */
export const ClosePayloadSchema = v.pipe(
  v.object({
    /** 诉求属实 */
    founded: v.boolean(),
    /** 超职责诉求 */
    beyondRemit: v.optional(v.boolean(), false),
    /** 是否解决 */
    resolution: v.picklist(RESOLUTIONS),
    /** 未解决原因, required unless resolved */
    unresolvedReason: v.optional(text(1000)),
    /** 联系群众 / 联系号码 / 联系时间 */
    contact: ContactSchema,
    /** 办理情况 */
    actions: requiredText(5000, 5),
    /** 公开答复内容 */
    publicReply: requiredText(2000, 5),
    /** 申请类型 or the portal's category for the result, if the worker knows it. */
    resultCategory: v.optional(text(50)),
    /** Photos by kind, by hash; each must have been added to the order before the close. */
    photos: v.object({
      handling: v.array(Sha256Schema),
      contact: v.optional(v.array(Sha256Schema), []),
      document: v.optional(v.array(Sha256Schema), []),
    }),
  }),
  v.forward(
    v.partialCheck(
      [['resolution'], ['unresolvedReason']],
      (p) => p.resolution === 'resolved' || (p.unresolvedReason ?? '').length >= 2,
      'say why it is not (fully) resolved',
    ),
    ['unresolvedReason'],
  ),
);
export type ClosePayload = v.InferOutput<typeof ClosePayloadSchema>;

const empty = v.strictObject({});

/** Payload schema of each event type. The keys are the event types. */
export const PAYLOADS = {
  /** 派单 / 改派: send to a grid or community, optionally to a named person. */
  dispatch: v.object({
    unitId: UnitIdSchema,
    unitKind: v.picklist(['grid', 'community', 'street']),
    assignee: v.optional(UserIdSchema),
    note: v.optional(text(500)),
  }),
  /** 签收 */
  accept: empty,
  /** 退回 / 退单: reason required. */
  return: v.object({ code: v.picklist(RETURN_CODES), reason: requiredText(500, 2) }),
  /** 申请延期 */
  extension_request: v.object({ reason: requiredText(500, 2), until: TimestampSchema }),
  extension_approve: v.object({ requestId: EventIdSchema, until: v.optional(TimestampSchema) }),
  extension_refuse: v.object({ requestId: EventIdSchema, reason: requiredText(500, 2) }),
  /** 到场打卡 */
  check_in: v.object({ location: LocationSchema, note: v.optional(text(500)) }),
  /** 添加进展 */
  progress: v.object({ text: requiredText(2000) }),
  /** 拍照 */
  photo_added: PhotoMetaSchema,
  /** 办结 */
  close: ClosePayloadSchema,
  /** 审核通过 */
  review_pass: v.object({ note: v.optional(text(500)) }),
  /**
   * 审核退回: back to the handler as 重办, with the deadline the redo is due
   * by (optional only so that events written before it existed still load;
   * every screen sets it).
   */
  review_reject: v.object({ reason: requiredText(500, 2), until: v.optional(TimestampSchema) }),
  /** 已回复: the result was entered into the hotline portal. */
  portal_reply: v.object({ portal: v.optional(text(64)), note: v.optional(text(500)) }),
  /** 回访 */
  callback: v.object({
    satisfaction: v.picklist(SATISFACTION),
    /** 回访方式 */
    reached: v.optional(v.picklist(CALLBACK_REACH)),
    note: v.optional(text(1000)),
  }),
  /** 重办: back to the handler with a new deadline (optional only for events written before it existed). */
  reopen: v.object({ reason: requiredText(500, 2), until: v.optional(TimestampSchema) }),
  /** 督办: 提醒 / 黄牌警告 / 挂牌督办, with the time the handler has to respond. */
  supervise: v.object({
    level: v.picklist(SUPERVISION_ACTIONS),
    note: requiredText(500),
    respondWithinHours: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(SUPERVISE_RESPOND_MAX_HOURS))),
  }),
  /** The citizen's phone number was shown to this user. */
  phone_reveal: v.object({ purpose: v.optional(text(200)) }),
  /** A clerk's decision on an event the reducer flagged as a conflict. */
  conflict_resolve: v.object({ eventId: EventIdSchema, note: requiredText(500, 2) }),
  /** 并单: merged into another order about the same matter. */
  merge: v.object({ intoOrderNo: v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{4,40}$/)), note: v.optional(text(500)) }),
  /** 归档 */
  archive: empty,
} as const;

export type EventType = keyof typeof PAYLOADS;
export const EVENT_TYPES = Object.keys(PAYLOADS) as EventType[];
export type PayloadOf<T extends EventType> = v.InferOutput<(typeof PAYLOADS)[T]>;

/** The envelope every event carries. */
const envelope = {
  id: EventIdSchema,
  actor: UserIdSchema,
  role: v.picklist(ROLES),
  /** The actor's unit when writing: lets the reducer check "worker of this grid" without the org tree. */
  unit: UnitIdSchema,
  /** Device wall clock at writing, ms. */
  at: TimestampSchema,
  /** Hybrid logical clock stamp: the order of events. */
  hlc: v.pipe(v.string(), v.check(isHlc, 'is not an HLC stamp')),
  /** server clock − device clock as last measured; null if never synced. */
  serverOffsetMs: v.nullable(v.pipe(v.number(), v.integer())),
};

type EventSchema<T extends EventType> = v.ObjectSchema<
  typeof envelope & { readonly type: v.LiteralSchema<T, undefined>; readonly payload: (typeof PAYLOADS)[T] },
  undefined
>;

/* @__NO_SIDE_EFFECTS__ */
function eventSchema<T extends EventType>(type: T): EventSchema<T> {
  return v.object({ ...envelope, type: v.literal(type), payload: PAYLOADS[type] });
}

/**
 * One variant per key of PAYLOADS, so an event type cannot be declared and
 * then refused at runtime for want of its schema. The cast only restores
 * what `map` forgets: that each element pairs its type with its own payload.
 */
export const OrderEventSchema = v.variant('type', EVENT_TYPES.map(eventSchema) as { [T in EventType]: EventSchema<T> }[EventType][]);

export type OrderEvent = v.InferOutput<typeof OrderEventSchema>;

/** Each event type's own schema, by type: what `OrderEventSchema` runs for an event of that type. */
const SCHEMA_BY_TYPE: ReadonlyMap<string, v.GenericSchema<unknown, OrderEvent>> = new Map(OrderEventSchema.options.map((option) => [option.entries.type.literal, option]));

/**
 * An event validated against `OrderEventSchema`, with the same result: for an event of a known type, its type's own
 * schema, which is all the variant runs for it once it has found it. The variant finds it by checking the event's
 * type against every type's literal in turn, each mismatch an issue built with its message — 19 of them for most
 * events, the largest allocation of the server's guard and indexer per update under the fan-out's load
 * (bench/README.md, "Fan-out, part 12"). Anything else (no object, an unknown type) goes through the variant, for
 * its own issues.
 */
export function validateOrderEvent(raw: unknown): Validated<OrderEvent> {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  const own = typeof type === 'string' ? SCHEMA_BY_TYPE.get(type) : undefined;
  return own === undefined ? validate(OrderEventSchema, raw) : validate(own, raw);
}
export type EventOf<T extends EventType> = Extract<OrderEvent, { type: T }>;
/** What a caller provides to write an event; the envelope is filled in by `stampEvent`. */
export type EventDraft = { [T in EventType]: { type: T; payload: v.InferInput<(typeof PAYLOADS)[T]> } }[EventType];
