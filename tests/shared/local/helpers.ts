/** A fresh database per test, and synthetic summaries for bulk tests. */
import { LianxinDb, type LianxinDbOptions } from '#shared/local/db.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntakeInput } from '#shared/order/intake.ts';
import { summarizeOrder, type OrderSummary } from '#shared/order/summary.ts';
import { mulberry32 } from '#shared/clock/ids.ts';
import { DAY, HOUR, T0, intake } from '../support/builders.ts';

let counter = 0;

/** A database of its own (fake-indexeddb), deleted by `close`. */
export function openTestDb(options: LianxinDbOptions = {}): { db: LianxinDb; close: () => Promise<void> } {
  counter += 1;
  const db = new LianxinDb(`lianxin-test-${counter}-${crypto.randomUUID()}`, options);
  return { db, close: () => db.delete() };
}

/** An order summarised as the projection receives it from an order doc. */
export function orderAt(overrides: Partial<OrderIntakeInput>, events: readonly OrderEvent[] = [], now = T0) {
  const i = intake(overrides);
  const view = deriveOrder(i, events, now);
  return { intake: i, view, summary: summarizeOrder(i, view) };
}

const ROADS = ['凯旋路', '株洲路', '北海路', '中州路', '步行街', '彭西四巷', '魏风路', '解放路', '人民路', '建设路', '文化路', '九都路'];
const PROBLEMS = ['污水管道堵塞，向上返水', '梧桐树枝干断裂，存在安全隐患', '下水道井盖缺损', '餐饮店大喇叭揽客，影响午休', '通信箱安装在外墙，影响装修', '路口人车混流', '地下室漏水', '路灯不亮', '占道经营', '垃圾清运不及时'];
const STATUSES = ['dispatched', 'in_progress', 'closed', 'archived', 'pending_dispatch'] as const;
const TABS = { dispatched: 'todo', in_progress: 'doing', closed: 'done', archived: 'done', pending_dispatch: 'other' } as const;

/** `n` plausible index-doc summaries (no content), deterministic. */
export function syntheticSummaries(n: number, seed = 7): OrderSummary[] {
  const base = orderAt({}).summary;
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const status = pick(STATUSES);
    const address = `${pick(ROADS)}与${pick(ROADS)}交叉口${Math.floor(random() * 200)}号院`;
    const receivedAt = T0 - Math.floor(random() * 180) * DAY;
    return {
      ...base,
      id: `syn-${i}`,
      orderNo: `2609121011${String(i * 7 + 10_000_000).slice(-8)}`,
      title: `${address}${pick(PROBLEMS)}`,
      address,
      status,
      tab: TABS[status],
      receivedAt,
      deadline: receivedAt + 5 * DAY,
      closedAt: TABS[status] === 'done' ? receivedAt + Math.floor(random() * 100) * HOUR : null,
      eventCount: 3,
    };
  });
}
