/** Hand-made orders and events for tests that need to read like the field. */
import { createHlc, type HlcState } from '#shared/clock/hlc.ts';
import { seededRandomBytes, type RandomBytes } from '#shared/clock/ids.ts';
import type { User } from '#shared/org/roles.ts';
import { OrderIntakeSchema, type OrderIntake, type OrderIntakeInput } from '#shared/order/intake.ts';
import type { EventDraft, OrderEvent, PayloadOf } from '#shared/order/events.ts';
import { stampEvent } from '#shared/order/stamp.ts';
import * as v from 'valibot';

export const T0 = Date.UTC(2026, 10, 2, 1, 30); // a Monday, 09:30 CST
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

export const users = {
  clerk: { id: 'clerk1', name: '刘芳', role: 'street_clerk', unitId: 'd1-s1' },
  worker: { id: 'grid1', name: '王伟', role: 'grid_worker', unitId: 'd1-s1-c1-g1' },
  worker2: { id: 'grid2', name: '李强', role: 'grid_worker', unitId: 'd1-s1-c1-g1' },
  otherGridWorker: { id: 'grid9', name: '赵磊', role: 'grid_worker', unitId: 'd1-s1-c1-g2' },
  community: { id: 'community1', name: '陈静', role: 'community_handler', unitId: 'd1-s1-c1' },
  supervisor: { id: 'supervisor1', name: '周敏', role: 'supervisor', unitId: 'd1' },
  admin: { id: 'admin', name: '管理员', role: 'admin', unitId: 'city' },
} as const satisfies Record<string, User>;

export function intake(overrides: Partial<OrderIntakeInput> = {}): OrderIntake {
  return v.parse(OrderIntakeSchema, {
    id: 'o-250912101108115409',
    orderNo: '250912101108115409',
    source: 'hotline',
    channel: 'phone',
    type: 'help',
    category: '市政',
    title: '北海路与中州路交叉口西南角下水道井盖缺损',
    content: '北海路与中州路交叉口西南角下水道井盖缺损，夜间行人容易踩空，请尽快处理。',
    citizen: { name: '张先生', phone: '13812345678' },
    address: '北海路与中州路交叉口西南角',
    place: { districtId: 'd1', streetId: 'd1-s1', communityId: 'd1-s1-c1', gridId: 'd1-s1-c1-g1' },
    receivedAt: T0,
    deadline: T0 + 5 * DAY,
    ...overrides,
  });
}

export const sha = (n: number): string => n.toString(16).padStart(64, '0');

export const payloads = {
  dispatchToGrid: (): PayloadOf<'dispatch'> => ({ unitId: 'd1-s1-c1-g1', unitKind: 'grid' }),
  photo: (n: number, kind: 'handling' | 'contact' | 'document' = 'handling'): PayloadOf<'photo_added'> => ({
    sha256: sha(n),
    kind,
    mime: 'image/jpeg',
    size: 245_000,
    width: 1920,
    height: 1440,
    takenAt: T0 + HOUR,
    location: { kind: 'fix', position: { lat: 34.62, lng: 112.45, accuracy: 12 } },
  }),
  close: (photos: string[] = [sha(1)]): PayloadOf<'close'> => ({
    founded: true,
    beyondRemit: false,
    resolution: 'resolved',
    contact: { contacted: true, method: 'phone', at: T0 + 2 * HOUR },
    actions: '已联系区城管局，当日更换新井盖并设置警示标志。',
    publicReply: '您反映的井盖缺损问题已于当日修复，感谢您的监督。',
    photos: { handling: photos, contact: [], document: [] },
  }),
};

/**
 * Writes events as one user on one device would: each stamped after every
 * event this writer has seen, at the time given.
 */
export class Writer {
  private hlc: HlcState;
  private readonly random: RandomBytes;

  constructor(
    readonly user: User,
    seed: number,
  ) {
    this.hlc = createHlc(`dev-${user.id}`);
    this.random = seededRandomBytes(seed);
  }

  write(draft: EventDraft, at: number, seen: readonly OrderEvent[] = []): OrderEvent {
    const result = stampEvent(draft, {
      user: this.user,
      now: at,
      hlc: this.hlc,
      seen: seen.map((e) => e.hlc),
      random: this.random,
    });
    if (!result.ok) throw new Error(`test event does not validate: ${JSON.stringify(result.errors)}`);
    this.hlc = result.hlc;
    return result.value;
  }
}

/** A shared history that grows as each writer appends after everything so far. */
export class History {
  readonly events: OrderEvent[] = [];
  private readonly writers = new Map<string, Writer>();

  by(user: User): { do: (draft: EventDraft, at: number) => OrderEvent } {
    let writer = this.writers.get(user.id);
    if (!writer) {
      writer = new Writer(user, this.writers.size + 1);
      this.writers.set(user.id, writer);
    }
    const w = writer;
    return {
      do: (draft, at) => {
        const event = w.write(draft, at, this.events);
        this.events.push(event);
        return event;
      },
    };
  }
}
