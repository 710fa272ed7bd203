/**
 * The 月通报 as plain tables: the one model the browser and the server render
 * (CSV here; .xlsx in report-xlsx.ts, with each column's format, width and
 * the header row frozen). Chinese headers: the report is the
 * centre's document. No citizen names or phones: rows are index summaries.
 */
import { DEFAULT_POLICY, type DeadlinePolicy } from '../order/deadline.ts';
import type { Channel, OrderType } from '../order/intake.ts';
import { statusName } from '../order/labels.ts';
import { unsatisfiedRows } from './callback.ts';
import { computeIndicators, type Indicators } from './indicators.ts';
import type { Count, Mean, Rate } from './measures.ts';
import type { Period } from './period.ts';
import { DEFAULT_WEIGHTS, rankUnits, type Weights } from './ranking.ts';
import type { IndicatorRow } from './row.ts';
import { sharesBy } from './shares.ts';
import { cstDateTime } from '../util/when.ts';
import { childLevel, rowsInUnit, type UnitRef } from './unit.ts';

export type CellFormat = 'text' | 'int' | 'percent' | 'decimal' | 'datetime';
export type Cell = string | number | null;

export interface ReportColumn {
  readonly header: string;
  readonly format: CellFormat;
  /** In characters, wide enough for the header and the longest value. */
  readonly width: number;
}

export interface ReportTable {
  readonly name: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly Cell[])[];
  /** Per cell, where a row's figure differs from its column's format (汇总: rates are percent); null: the column's. */
  readonly formats?: readonly (readonly (CellFormat | null)[])[];
}

/** The format of one cell: its own if the table names one, else its column's. */
export function cellFormat(t: ReportTable, row: number, column: number): CellFormat {
  return t.formats?.[row]?.[column] ?? t.columns[column]?.format ?? 'text';
}

export const TYPE_NAMES: Readonly<Record<OrderType, string>> = {
  help: '求助',
  enquiry: '咨询',
  complaint: '投诉',
  suggestion: '建议',
  praise: '表扬',
  other: '其他',
};

export const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  phone: '电话',
  wechat: '微信',
  web: '网站',
  app: 'App',
  mayor_mailbox: '市长信箱',
  provincial: '省平台',
  people_board: '人民网留言板',
  field: '网格上报',
  other: '其他',
};

/** The indicators in report order, with their Chinese names. */
export const INDICATOR_NAMES: readonly (readonly [keyof Indicators, string])[] = [
  ['received', '受理量'],
  ['closed', '办结量'],
  ['closeRate', '办结率'],
  ['onTimeRate', '按期办结率'],
  ['acceptOnTimeRate', '签收及时率'],
  ['overdue', '超期件数'],
  ['overdueOpen', '当前超期'],
  ['durationDays', '平均办理时长（自然日）'],
  ['durationWorkingDays', '平均办理时长（工作日）'],
  ['callbackRate', '回访率'],
  ['satisfactionRate', '回访满意率'],
  ['reopenRate', '重办率'],
  ['returnRate', '退单率'],
  ['redispatches', '改派次数'],
  ['supervised', '督办件数'],
  ['supervisionResponseHours', '督办响应时长（小时）'],
  ['checkInRate', '现场核实率'],
  ['photoRate', '照片取证率'],
  ['fieldReports', '事件上报量'],
  ['selfHandled', '自行处置量'],
];

export function formatOf(value: Count | Rate | Mean): CellFormat {
  if ('rate' in value) return 'percent';
  return 'n' in value ? 'decimal' : 'int';
}

function figure(value: Count | Rate | Mean): number | null {
  return 'rate' in value ? value.rate : value.value;
}

/** Display width: CJK characters count double. */
function textWidth(value: string): number {
  let width = 0;
  for (const ch of value) width += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return width;
}

function cellText(cell: Cell, format: CellFormat): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (format === 'percent') return `${(cell * 100).toFixed(2)}%`;
  if (format === 'decimal') return cell.toFixed(2);
  if (format === 'datetime') return cstDateTime(cell);
  return String(cell);
}

function table(
  name: string,
  columns: readonly (readonly [string, CellFormat])[],
  rows: readonly (readonly Cell[])[],
  formats?: readonly (readonly (CellFormat | null)[])[],
): ReportTable {
  return {
    name,
    rows,
    ...(formats ? { formats } : {}),
    columns: columns.map(([header, format], i) => ({
      header,
      format,
      width: Math.min(60, Math.max(textWidth(header), ...rows.map((r, j) => textWidth(cellText(r[i] ?? null, formats?.[j]?.[i] ?? format)))) + 2),
    })),
  };
}

export interface ReportOptions {
  readonly unitName: (id: string) => string;
  readonly weights?: Weights;
  readonly volumeSplit?: number;
  readonly policy?: DeadlinePolicy;
}

/** The order list's columns, as the CSV export and the report's lists share them. */
export function orderTable(name: string, rows: readonly IndicatorRow[], unitName: (id: string) => string, extra: 'deadline' | 'callback' = 'deadline'): ReportTable {
  return table(
    name,
    [
      ['工单编号', 'text'],
      ['类型', 'text'],
      ['分类', 'text'],
      ['渠道', 'text'],
      ['标题', 'text'],
      ['地址', 'text'],
      ['街道', 'text'],
      ['社区', 'text'],
      ['状态', 'text'],
      ['受理时间', 'datetime'],
      [extra === 'deadline' ? '办理时限' : '回访时间', 'datetime'],
      ['办结时间', 'datetime'],
    ],
    rows.map((r) => [
      r.orderNo,
      TYPE_NAMES[r.type],
      r.category,
      CHANNEL_NAMES[r.channel],
      r.title,
      r.address,
      unitName(r.streetId),
      r.communityId === null ? '' : unitName(r.communityId),
      statusName(r.status),
      r.receivedAt,
      extra === 'deadline' ? r.deadline : (r.callback?.at ?? null),
      r.closedAt,
    ]),
  );
}

/** RFC 4180 CSV with a BOM, so that Excel opens the Chinese right. */
export function tableToCsv(t: ReportTable): string {
  const quote = (s: string): string => (/[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : s);
  const lines = [t.columns.map((c) => quote(c.header)).join(',')];
  t.rows.forEach((row, j) => lines.push(t.columns.map((_, i) => quote(cellText(row[i] ?? null, cellFormat(t, j, i)))).join(',')));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Several tables as one CSV file, each under its name, a blank line between. */
export function reportToCsv(tables: readonly ReportTable[]): string {
  return `\uFEFF${tables.map((t) => `${t.name}\r\n${tableToCsv(t).slice(1)}`).join('\r\n')}`;
}

/**
 * The 月通报 of `unit` over `period`: 汇总, 排名 (of the units below), 类型构成,
 * 超期清单 and 不满意回访. `rows` may hold more than the unit; they are filtered.
 */
export function monthlyReport(rows: readonly IndicatorRow[], unit: UnitRef, period: Period, now: number, options: ReportOptions): ReportTable[] {
  const policy = options.policy ?? DEFAULT_POLICY;
  const mine = rowsInUnit(rows, unit);
  const indicators = computeIndicators(mine, period, now, policy);
  const summary = table(
    '汇总',
    [
      ['指标', 'text'],
      ['数值', 'decimal'],
      ['分子', 'int'],
      ['分母', 'int'],
    ],
    INDICATOR_NAMES.map(([key, name]) => {
      const value = indicators[key];
      return 'rate' in value ? [name, value.rate, value.numerator, value.denominator] : [name, figure(value), null, null];
    }),
    INDICATOR_NAMES.map(([key]) => [null, formatOf(indicators[key]), null, null]),
  );
  const below = childLevel(unit.level);
  const ranking = below
    ? rankUnits(mine, below, period, now, { weights: options.weights ?? DEFAULT_WEIGHTS, volumeSplit: options.volumeSplit ?? 0, policy })
    : { tables: [] };
  const rankingTable = table(
    '排名',
    [
      ['分组', 'text'],
      ['名次', 'int'],
      ['单位', 'text'],
      ['综合得分', 'decimal'],
      ['受理量', 'int'],
      ['办结量', 'int'],
      ['按期办结率', 'percent'],
      ['回访满意率', 'percent'],
      ['办结率', 'percent'],
      ['平均办理时长（自然日）', 'decimal'],
      ['超期件数', 'int'],
    ],
    ranking.tables.flatMap((t) =>
      t.units.map((u) => [
        ranking.tables.length > 1 ? (t.large ? '件量较多' : '件量较少') : '全部',
        u.rank,
        options.unitName(u.unitId),
        u.score,
        u.indicators.received.value,
        u.indicators.closed.value,
        u.indicators.onTimeRate.rate,
        u.indicators.satisfactionRate.rate,
        u.indicators.closeRate.rate,
        u.indicators.durationDays.value,
        u.indicators.overdue.value,
      ]),
    ),
  );
  const shares = table(
    '类型构成',
    [
      ['类型', 'text'],
      ['件数', 'int'],
      ['占比', 'percent'],
    ],
    sharesBy(mine, period, 'type').map((s) => [TYPE_NAMES[s.key as OrderType] ?? s.key, s.count, s.share]),
  );
  const byId = new Map(mine.map((r) => [r.id, r]));
  const overdue = indicators.overdue.ids.map((id) => byId.get(id)).filter((r): r is IndicatorRow => r !== undefined);
  return [
    summary,
    rankingTable,
    shares,
    orderTable('超期清单', overdue, options.unitName),
    orderTable('不满意回访', unsatisfiedRows(mine, period), options.unitName, 'callback'),
  ];
}
