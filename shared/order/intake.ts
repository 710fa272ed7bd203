import * as v from 'valibot';
import { newId, type RandomBytes } from '../clock/ids.ts';
import { UnitIdSchema } from '../org/units.ts';
import { UserIdSchema } from '../org/roles.ts';
import {
  LocationSchema,
  PhoneSchema,
  Sha256Schema,
  TimestampSchema,
  requiredText,
  text,
} from './values.ts';

/** Where a request reached the hotline (or, for field reports, the grid worker). */
export const CHANNELS = [
  'phone', // 电话
  'wechat', // 微信
  'web', // 网站
  'app', // App
  'mayor_mailbox', // 市长信箱
  'provincial', // 省平台
  'people_board', // 人民网留言板
  'field', // 网格上报 (a worker's own field report)
  'other',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const ORDER_TYPES = ['help', 'enquiry', 'complaint', 'suggestion', 'praise', 'other'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Categories seen in the sources; portals have their own lists, so any text is accepted. */
export const KNOWN_CATEGORIES = [
  '公共服务',
  '城市管理',
  '劳动和社会保障',
  '住房',
  '教育管理',
  '噪声污染',
  '交通设施',
  '市政',
  '营商环境',
] as const;

/**
 * 事件上报 types: what a grid worker finds on the street, not what a citizen
 * calls about (no 表扬, no 咨询). The intake's `type` stays the hotline's
 * (a report is `help` or `other`); `fieldKind` is the report's own.
 */
export const FIELD_REPORT_KINDS = [
  'environment', // 环境卫生
  'city_appearance', // 市容秩序
  'illegal_building', // 违章搭建
  'facility', // 设施损坏
  'safety', // 安全隐患
  'dispute', // 矛盾纠纷
  'greening', // 园林绿化
  'traffic', // 交通秩序
  'other', // 其他
] as const;
export type FieldReportKind = (typeof FIELD_REPORT_KINDS)[number];

export const SUPERVISION_LEVELS = ['none', 'reminder', 'warning', 'listed'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const SOURCES = ['hotline', 'portal_import', 'field_report'] as const;

export const OrderIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", at most 64'),
);

/**
 * Order ids are random, never made from the order number: knowing a number
 * (printed on the portal, said on the phone) must not give the document's
 * name. The server gives each hotline or portal order `o-` and 16 random
 * base-36 characters at intake; a device gives its field report `fr-` and
 * 16 random characters, and only an id of that shape may be opened before
 * the order exists (to create the report). Demo data has its own seeded ids.
 */
export const newOrderId = (random: RandomBytes): string => `o-${newId(random)}`;
export const newFieldReportId = (random: RandomBytes): string => `fr-${newId(random)}`;
const FIELD_REPORT_ID = /^fr-[0-9a-z]{16}$/;
export const isFieldReportId = (id: string): boolean => FIELD_REPORT_ID.test(id);

export const AttachmentSchema = v.object({
  sha256: Sha256Schema,
  name: text(200),
  mime: v.picklist(['image/jpeg', 'image/png', 'image/webp']),
  size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(30 * 1024 * 1024, 'larger than 30 MB')),
});
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

export const PlaceSchema = v.object({
  districtId: UnitIdSchema,
  streetId: UnitIdSchema,
  communityId: v.optional(UnitIdSchema),
  gridId: v.optional(UnitIdSchema),
});

export const OrderIntakeSchema = v.pipe(
  v.object({
    /** Our id: the Y.Doc is `order:<id>`. */
    id: OrderIdSchema,
    /** 工单编号 of the hotline (18 digits in one portal); field reports get `FR-…` until the hotline numbers them. */
    orderNo: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9-]{4,40}$/, 'is not an order number')),
    source: v.picklist(SOURCES),
    channel: v.picklist(CHANNELS),
    type: v.picklist(ORDER_TYPES),
    category: requiredText(50),
    title: requiredText(200),
    /** 诉求内容: the citizen's own words. Data, never markup. */
    content: requiredText(5000),
    citizen: v.object({
      name: text(50),
      /** Masked everywhere unless revealed by a user with the right (a recorded event). */
      phone: v.optional(PhoneSchema),
    }),
    address: requiredText(300),
    place: PlaceSchema,
    location: v.optional(LocationSchema),
    receivedAt: TimestampSchema,
    /** 办理时限 as set by the hotline; approved extensions move it. */
    deadline: TimestampSchema,
    /** The handling unit named by the hotline, as text (e.g. 区市政局). */
    handlingUnit: v.optional(text(100)),
    supervision: v.optional(v.picklist(SUPERVISION_LEVELS), 'none'),
    /** 营商环境 orders have their own desk and statistics. */
    businessEnvironment: v.optional(v.boolean(), false),
    attachments: v.optional(v.array(AttachmentSchema), []),
    /** For field reports: the worker who reported it. */
    reportedBy: v.optional(UserIdSchema),
    /** For field reports: the report's own type (FIELD_REPORT_KINDS). */
    fieldKind: v.optional(v.picklist(FIELD_REPORT_KINDS)),
    /** For field reports: 自行处置, handled on the spot by the reporter, who closes it at once; counted apart. */
    selfHandled: v.optional(v.boolean()),
    /** For portal imports: where it was read from. */
    portal: v.optional(v.object({ adapterId: requiredText(64), url: text(2000) })),
  }),
  v.forward(
    v.partialCheck(
      [['deadline'], ['receivedAt']],
      (intake) => intake.deadline >= intake.receivedAt,
      'must not be before receivedAt',
    ),
    ['deadline'],
  ),
  v.forward(
    v.partialCheck(
      [['source'], ['reportedBy']],
      (intake) => intake.source !== 'field_report' || intake.reportedBy !== undefined,
      'a field report must name the worker who reported it',
    ),
    ['reportedBy'],
  ),
  v.forward(
    v.partialCheck(
      [['source'], ['fieldKind'], ['selfHandled']],
      (intake) => intake.source === 'field_report' || (intake.fieldKind === undefined && intake.selfHandled === undefined),
      'only a field report has a field kind or is self-handled',
    ),
    ['fieldKind'],
  ),
);
export type OrderIntake = v.InferOutput<typeof OrderIntakeSchema>;
/** What a client sends: defaults may be omitted. */
export type OrderIntakeInput = v.InferInput<typeof OrderIntakeSchema>;
/** What `POST /api/orders` takes: an intake without its id, which the server assigns (an `id` sent anyway is replaced). */
export type OrderIntakeRequest = Omit<OrderIntakeInput, 'id'>;
