/**
 * The portal adapter format, version 1: data that says how to recognise a
 * 12345 portal's pages, where each order field is read on an order page, and
 * how each reply field is written on a reply page. Adapters are JSON an office
 * admin can edit, import and export; they never contain code. The DOM engine
 * (extension/lib/portal) interprets them.
 */
import * as v from 'valibot';
import { requiredText, text } from '../order/values.ts';
import { dateFormatProblem } from './dates.ts';

export const ADAPTER_VERSION = 1;

/**
 * Generated ids (Element's `el-id-1234-5`, Vue's `data-v-…` hashes, long digit
 * runs) and state classes change between page loads or with what the user did,
 * so a selector using them would find the field only by luck.
 */
const UNSTABLE_SELECTOR = /#el-id-|el-id-\d|data-v-[0-9a-f]{6,}|\d{5,}|\.(?:is-(?:active|focus|checked|disabled|hover|selected|opened)|layui-this|layui-form-checked|layui-form-radioed|hover|selected|active|focus)\b/;

export const CssSelectorSchema = v.pipe(
  requiredText(300),
  v.check((s) => !UNSTABLE_SELECTOR.test(s), 'uses a generated id or a state class; choose a stable attribute or structure'),
);

/** CSS selectors of the iframes to enter, from the top document inwards. */
export const FramePathSchema = v.pipe(v.array(CssSelectorSchema), v.maxLength(5, 'at most 5 nested frames'));

const locatorCommon = {
  frame: v.optional(FramePathSchema),
  /** How much this locator counts when scoring candidates (default 1; css/name 2). */
  weight: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(10))),
  /**
   * A required locator must find the winning element, so a renamed label or a
   * moved field fails loudly instead of falling back to a lookalike.
   * Optional locators only break ties. Default: required.
   */
  optional: v.optional(v.boolean()),
};

export const LocatorSchema = v.variant('by', [
  /** The visible label: <label>, a table cell, an Element/layui form-item label, an el-descriptions label. */
  v.object({ by: v.literal('label'), text: requiredText(60), ...locatorCommon }),
  v.object({ by: v.literal('name'), value: requiredText(100), ...locatorCommon }),
  v.object({ by: v.literal('placeholder'), value: requiredText(100), ...locatorCommon }),
  /** aria-label of the control. */
  v.object({ by: v.literal('aria'), value: requiredText(100), ...locatorCommon }),
  v.object({ by: v.literal('css'), selector: CssSelectorSchema, ...locatorCommon }),
]);
export type Locator = v.InferOutput<typeof LocatorSchema>;

const LocatorsSchema = v.pipe(v.array(LocatorSchema), v.minLength(1, 'needs at least one locator'), v.maxLength(8, 'at most 8 locators'));

/**
 * yyyy, MM/M, dd/d, HH/H, mm/m, ss/s (doubled = zero-padded), anything else
 * literal: `yyyy-MM-dd HH:mm`, `yyyy年M月d日 HH时mm分`, `yyyyMMdd` (dates.ts).
 */
export const DateFormatSchema = v.pipe(
  requiredText(40),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = dateFormatProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

export const EDITORS = ['contenteditable', 'wangeditor', 'kindeditor', 'ueditor'] as const;

export const WidgetSchema = v.variant('kind', [
  v.object({ kind: v.literal('text') }),
  v.object({ kind: v.literal('textarea') }),
  /** A native <select>, matched by option text. */
  v.object({ kind: v.literal('select') }),
  /** A group of radios (native, Element, layui), matched by the option's label text. */
  v.object({ kind: v.literal('radio') }),
  v.object({ kind: v.literal('checkbox') }),
  v.object({ kind: v.literal('element-plus-select') }),
  v.object({ kind: v.literal('element-ui-select') }),
  v.object({ kind: v.literal('layui-select') }),
  /** A date input (plain, Element date picker, layui laydate) that takes text in the portal's format. */
  v.object({ kind: v.literal('date'), format: DateFormatSchema }),
  v.object({ kind: v.literal('richtext'), editor: v.picklist(EDITORS) }),
  /**
   * A file input of the portal's own upload widget. The portal confirms an
   * upload by listing the file: `item` elements inside the field's closest
   * `within` ancestor, one per uploaded file, containing its name.
   */
  v.object({
    kind: v.literal('file'),
    uploaded: v.object({ within: CssSelectorSchema, item: CssSelectorSchema }),
  }),
]);
export type Widget = v.InferOutput<typeof WidgetSchema>;
export type WidgetKind = Widget['kind'];

/** An element that must be on the page (inside `frame` when given), optionally containing a text. */
export const PageCheckSchema = v.object({
  selector: CssSelectorSchema,
  text: v.optional(requiredText(100)),
  frame: v.optional(FramePathSchema),
});
export type PageCheck = v.InferOutput<typeof PageCheckSchema>;

/** Where a page is recognised: URL globs (`*` is any run of characters) and a check on the page. */
export const PageMatchSchema = v.object({
  urls: v.pipe(v.array(requiredText(500)), v.minLength(1, 'needs at least one URL pattern')),
  check: PageCheckSchema,
});
export type PageMatch = v.InferOutput<typeof PageMatchSchema>;

/** The order fields an order page can give, in the shape of the intake. */
export const ORDER_FIELDS = [
  'orderNo', // 工单编号
  'receivedAt', // 来电时间 / 受理时间
  'citizenName', // 来电人
  'citizenPhone', // 联系电话
  'channel', // 来源渠道
  'type', // 诉求类型
  'category', // 诉求分类
  'title', // 标题
  'content', // 诉求内容
  'address', // 事发地址
  'deadline', // 办理时限
  'handlingUnit', // 承办单位
  'district', // 区县: where the order belongs (placement on import)
  'street', // 街道
  'community', // 社区
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** Portal texts for our values: `{ "help": ["求助", "求助类"] }`; the first is what is written. */
const VocabularySchema = v.record(requiredText(40), v.pipe(v.array(requiredText(60)), v.minLength(1)));
export type Vocabulary = v.InferOutput<typeof VocabularySchema>;

export const ReadFieldSchema = v.object({
  key: v.picklist(ORDER_FIELDS),
  locators: LocatorsSchema,
  /** For receivedAt and deadline: how the portal writes the time. */
  format: v.optional(DateFormatSchema),
  /** For type and channel: the portal's words for our values, on top of the built-in ones. */
  values: v.optional(VocabularySchema),
  /** Missing on the page is not an error (default: required). */
  optional: v.optional(v.boolean()),
});
export type ReadField = v.InferOutput<typeof ReadFieldSchema>;

/** A column of a portal's order list, found by its header text. */
export const ListColumnSchema = v.object({
  key: v.picklist(ORDER_FIELDS),
  header: requiredText(30),
  format: v.optional(DateFormatSchema),
  values: v.optional(VocabularySchema),
});
export type ListColumn = v.InferOutput<typeof ListColumnSchema>;

/**
 * A portal's order list (import of several orders at once): each order's row
 * (`rows`, CSS in the page check's frame), its columns by header text, and
 * optionally the link in a row to the order's own page, which is then read
 * too with the adapter's order page (what a list does not show).
 */
export const ListPageSchema = v.pipe(
  v.object({
    page: PageMatchSchema,
    rows: CssSelectorSchema,
    columns: v.pipe(v.array(ListColumnSchema), v.minLength(1, 'a list needs at least one column'), v.maxLength(20)),
    link: v.optional(CssSelectorSchema),
  }),
  v.check((l) => l.columns.some((c) => c.key === 'orderNo'), 'a list needs its order number column'),
  v.check((l) => unique(l.columns.map((c) => c.key)), 'each list column may appear once'),
);
export type ListPage = v.InferOutput<typeof ListPageSchema>;

/** What a reply field is filled from: a part of the order's close (办结) result. */
export const REPLY_SOURCES = [
  'founded', // 诉求属实: yes / no
  'beyondRemit', // 超职责诉求: yes / no
  'resolution', // 是否解决: resolved / partly / unresolved
  'unresolvedReason', // 未解决原因
  'contacted', // 联系群众: yes / no
  'contactMethod', // 联系方式: phone / visit / sms / wechat / other
  'contactNumber', // 联系号码
  'contactTime', // 联系时间
  'actions', // 办理情况
  'publicReply', // 公开答复内容
  'resultCategory', // 申请类型 or the result's category, when the worker gave one
  'closedAt', // 办结时间
  'orderNo', // 工单编号, on forms that repeat it
  'photos.handling', // 办理附件
  'photos.contact', // 联系证据
  'photos.document', // 证件附件
  'fixed', // the same text on every reply (`fixed`), e.g. 申请类型 = 办结申请
] as const;
export type ReplySource = (typeof REPLY_SOURCES)[number];

export const ReplyFieldSchema = v.pipe(
  v.object({
    /** The adapter's own name for the field, unique in the adapter (e.g. the portal's `note1`). */
    key: v.pipe(requiredText(60), v.regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, ".", "_" or "-"')),
    /** What the clerk sees in the report: the portal's label. */
    label: requiredText(60),
    source: v.picklist(REPLY_SOURCES),
    fixed: v.optional(text(500)),
    widget: WidgetSchema,
    locators: LocatorsSchema,
    values: v.optional(VocabularySchema),
    /**
     * Whether the portal refuses a reply without this field. Absent, the page
     * decides (Element's `is-required` form item, a `*` in the label, `required`,
     * `aria-required`, layui `lay-verify="required"`); true or false overrides it.
     * A required field the result has nothing for is ✗, naming what is missing;
     * any other field with nothing to write is left as it is.
     */
    required: v.optional(v.boolean()),
  }),
  v.forward(
    v.partialCheck([['source'], ['fixed']], (f) => f.source !== 'fixed' || (f.fixed ?? '').length > 0, 'a fixed field needs its text'),
    ['fixed'],
  ),
  v.forward(
    v.partialCheck(
      [['source'], ['widget']],
      (f) => f.source.startsWith('photos.') === (f.widget.kind === 'file'),
      'photos go to a file widget, and a file widget takes only photos',
    ),
    ['widget'],
  ),
);
export type ReplyField = v.InferOutput<typeof ReplyFieldSchema>;
export type ReplyFieldInput = v.InferInput<typeof ReplyFieldSchema>;

export const PortalAdapterSchema = v.pipe(
  v.object({
    version: v.literal(ADAPTER_VERSION, `this extension reads adapter version ${ADAPTER_VERSION}`),
    id: v.pipe(requiredText(64), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and "-"')),
    name: requiredText(100),
    description: v.optional(text(500)),
    order: v.optional(
      v.object({
        page: PageMatchSchema,
        fields: v.pipe(v.array(ReadFieldSchema), v.minLength(1, 'an order page needs at least one field')),
      }),
    ),
    reply: v.optional(
      v.object({
        page: PageMatchSchema,
        /** Where the reply page shows which order it is for (a label, the form's hidden orderNo…). */
        orderNo: v.optional(v.object({ locators: LocatorsSchema })),
        /**
         * What the portal shows once it accepted the reply (its success message):
         * seen appearing after a fill, it tells the panel the clerk submitted.
         */
        submitted: v.optional(PageCheckSchema),
        fields: v.pipe(v.array(ReplyFieldSchema), v.minLength(1, 'a reply page needs at least one field')),
      }),
    ),
    list: v.optional(ListPageSchema),
  }),
  v.check((a) => a.order !== undefined || a.reply !== undefined || a.list !== undefined, 'an adapter needs an order page, a reply page, a list or several'),
  v.forward(
    v.partialCheck([['order', 'fields']], (a) => unique((a.order?.fields ?? []).map((f) => f.key)), 'each order field may appear once'),
    ['order', 'fields'],
  ),
  v.forward(
    v.partialCheck([['reply', 'fields']], (a) => unique((a.reply?.fields ?? []).map((f) => f.key)), 'reply field keys must be unique'),
    ['reply', 'fields'],
  ),
);
export type PortalAdapter = v.InferOutput<typeof PortalAdapterSchema>;
export type PortalAdapterInput = v.InferInput<typeof PortalAdapterSchema>;

function unique(keys: readonly string[]): boolean {
  return new Set(keys).size === keys.length;
}
