/**
 * The story of one order, as steps on nominal times: who does what when,
 * from dispatch as far as the status the order should have now, with a
 * detour now and then (a return, an extension, a rejected review, an
 * unsatisfied call-back and the redo it brings, 督办 when it runs late).
 * Every step is valid where it lands under the lifecycle rules, so the
 * reducer derives the intended status with no conflicts.
 */
import type { RandomBytes } from '#shared/clock/ids.ts';
import type { User } from '#shared/org/roles.ts';
import type { EventDraft, EventType, PayloadOf, PhotoKind, Satisfaction } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import type { Status } from '#shared/order/status.ts';
import { BY_PHONE_CONTACT, ON_SITE_CONTACT, fieldLocation, plannedPhoto, plannedResult, type ContactMethod, type PhotoMoment, type PlannedPhoto } from './evidence.ts';
import type { GridPlace } from './org.ts';
import {
  CALLBACK_NOTES,
  CHECK_IN_NOTES,
  DISPATCH_NOTES,
  EXTENSION_REASONS,
  EXTENSION_REFUSALS,
  EXTRA_PROGRESS,
  MERGE_NOTES,
  PORTAL_NAME,
  PORTAL_REPLY_NOTES,
  REDISPATCH_NOTES,
  REDO_PROGRESS,
  REOPEN_REASONS,
  RETURN_REASONS,
  REVIEW_NOTES,
  REVIEW_REJECTIONS,
  SUPERVISE_NOTES,
} from './phrases.ts';
import { weighted, type Rng } from './random.ts';
import type { Spot } from './spot.ts';
import type { CaseText } from './templates.ts';
import { DAY, HOUR, MINUTE, SECOND, duringDay } from './time.ts';
import type { Staff } from './users.ts';

export interface HistoryContext {
  readonly intake: OrderIntake;
  /** The status the order must derive to at `now`. */
  readonly status: Status;
  readonly text: CaseText;
  readonly spot: Spot;
  readonly place: GridPlace;
  /** Another grid of the same community, for returns of the wrong-jurisdiction kind. */
  readonly neighbour: GridPlace | undefined;
  readonly staff: Staff;
  readonly now: number;
  readonly rng: Rng;
  readonly random: RandomBytes;
  /** For a merged order: the order number it was merged into. */
  readonly mergeInto?: string;
  /** Real cases: no detours (returns, rejections, reopens, extensions). */
  readonly plain?: boolean;
  /** Forces the call-back result (a real case's known outcome). */
  readonly satisfaction?: Satisfaction;
}

/**
 * Event types no demo story writes. Every other type appears somewhere in a
 * generated set (tests/demo/histories.test.ts), so a new event type fails
 * that test until the story takes it or it is named here with its reason.
 */
export const NOT_IN_DEMO = [
  // Stories are valid where they land, so there is never a conflict to settle.
  'conflict_resolve',
] as const satisfies readonly EventType[];

/** Call-back satisfaction: 83.01% satisfied in one city's published figures. */
export const SATISFACTION_WEIGHTS = weighted<Satisfaction>([
  ['satisfied', 83],
  ['basic', 12],
  ['unsatisfied', 5],
]);
const SATISFIED_AFTER_REDO = weighted<Satisfaction>([
  ['satisfied', 80],
  ['basic', 20],
]);
/** Share of archived orders that were called back first (124,762 call-backs for 287,977 orders in one city). */
const CALLBACK_SHARE = 0.45;

const RETURN_CODES = weighted<keyof typeof RETURN_REASONS>([
  ['wrong_jurisdiction', 50],
  ['beyond_remit', 25],
  ['info_missing', 12],
  ['duplicate', 6],
  ['other', 7],
]);

export type TimeMap = (nominal: number) => number;

/** What a step's payload may depend on that is known only when it is stamped. */
export interface DraftArgs {
  /** Nominal time → the time stamped. */
  readonly time: TimeMap;
  /** This step's stamped time. */
  readonly at: number;
  /** The event id of an earlier step, by its key. */
  readonly idOf: (key: string) => string;
}

export interface Step {
  readonly type: EventType;
  readonly user: User;
  /** Nominal time: the story's, before fitting it before `now`. */
  readonly at: number;
  /** Work an open order may not have reached yet: dropped when planned after `now`. */
  readonly optional: boolean;
  /** Lets a later step refer to this one's event id. */
  readonly key?: string;
  readonly draft: (args: DraftArgs) => EventDraft;
}

/** The steps of an order's history on nominal times, in time order. */
export function planHistory(ctx: HistoryContext): Step[] {
  const plan = new Plan(ctx);
  plan.lifecycle();
  return plan.withSupervision();
}

class Plan {
  readonly steps: Step[] = [];
  /** Nominal time of the last step. */
  private t: number;
  private deadline: number;
  private handler: User | null = null;
  /** Photos added since the last close: the next close refers to them. */
  private cycle: PlannedPhoto[] = [];
  private contactAt: number | null = null;
  /** How the handler contacted the citizen in the current round of work. */
  private method: ContactMethod = 'phone';
  /** When the current round of work is to be closed. */
  private closeAt = 0;
  private firstCloseAt: number | null = null;
  private readonly clerk: User;
  private readonly supervisor: User;

  constructor(private readonly ctx: HistoryContext) {
    this.t = ctx.intake.receivedAt;
    this.deadline = ctx.intake.deadline;
    this.clerk = ctx.staff.clerkOf(ctx.place.street.id);
    this.supervisor = ctx.staff.supervisorOf(ctx.place.district.id);
  }

  private get rng(): Rng {
    return this.ctx.rng;
  }

  private get detours(): boolean {
    return this.ctx.plain !== true;
  }

  /** Walk the lifecycle as far as the intended status, taking a detour now and then. */
  lifecycle(): void {
    const { status } = this.ctx;
    if (status === 'pending_dispatch') return;
    if (status === 'merged') {
      if (this.rng.chance(0.4)) this.dispatch();
      this.merge();
      return;
    }
    this.dispatch();
    if (status === 'dispatched') return;
    if (status === 'returned' || (this.detours && this.rng.chance(0.04))) {
      if (this.rng.chance(0.4)) this.accept();
      const code = this.returnOrder();
      if (status === 'returned') return;
      this.redispatch(code);
    }
    this.accept();
    if (status === 'in_progress') {
      if (this.detours && this.rng.chance(0.08)) {
        // Closed once, sent back by the clerk, being redone now.
        this.work(this.firstCloseTime(false), false);
        this.close();
        this.reject();
        this.work(Math.max(this.t + this.rng.between(4 * HOUR, 3 * DAY), this.ctx.now + this.rng.between(2 * HOUR, DAY)), true, true);
      } else {
        this.work(this.firstCloseTime(true), true);
      }
      return;
    }
    this.work(this.firstCloseTime(false), false);
    this.close();
    if (this.detours && this.rng.chance(0.03)) {
      this.reject();
      this.redo();
    }
    if (status === 'closed') return;
    this.reviewPass();
    if (status === 'reviewed') return;
    this.reply();
    if (status === 'replied') return;
    const calledBack = status === 'called_back' || this.ctx.satisfaction !== undefined || this.rng.chance(CALLBACK_SHARE);
    if (!calledBack) {
      this.archive(this.after(2 * DAY, 7 * DAY));
      return;
    }
    let satisfaction = this.ctx.satisfaction ?? (this.detours ? SATISFACTION_WEIGHTS.pick(this.rng) : 'satisfied');
    this.callback(satisfaction);
    while (satisfaction === 'unsatisfied') {
      // Left waiting for the clerk to reopen it: a called-back order may stay like this for a while.
      if (status === 'called_back' && this.rng.chance(0.5)) return;
      const reason = this.rng.pick(REOPEN_REASONS);
      this.add('reopen', this.clerk, this.after(HOUR, DAY), () => ({ type: 'reopen', payload: { reason } }));
      this.redo();
      this.reviewPass();
      this.reply();
      satisfaction = SATISFIED_AFTER_REDO.pick(this.rng);
      this.callback(satisfaction);
    }
    if (status === 'called_back') return;
    this.archive(this.after(DAY / 2, 4 * DAY));
  }

  /** Overdue orders get a 提醒函 the day after the deadline, and a 预警函 a week later. */
  withSupervision(): Step[] {
    const last = this.steps[this.steps.length - 1];
    const final = last && (last.type === 'archive' || last.type === 'merge') ? last.at : Infinity;
    const before = Math.min(this.firstCloseAt ?? Infinity, final);
    const extra: Step[] = [];
    // The deadline is the end of a day: reminders go out the next morning.
    const reminderAt = this.deadline + this.rng.between(9 * HOUR, 10 * HOUR);
    if (reminderAt < before) {
      extra.push(this.superviseStep('reminder', reminderAt));
      const warningAt = reminderAt + 7 * DAY;
      if (warningAt < before && this.rng.chance(0.6)) extra.push(this.superviseStep('warning', warningAt));
    }
    // Supervision is valid in every state before the end, so it can sit anywhere in time;
    // listed first, it sorts before any step planned at the same moment.
    return [...extra, ...this.steps].sort((a, b) => a.at - b.at);
  }

  private superviseStep(level: 'reminder' | 'warning', at: number): Step {
    const note = this.rng.pick(SUPERVISE_NOTES[level]);
    return { type: 'supervise', user: this.supervisor, at, optional: true, draft: () => ({ type: 'supervise', payload: { level, note } }) };
  }

  /** The time a step planned for `at` can take: after the last one, in the daytime. */
  private slot(at: number): number {
    return Math.max(this.t + SECOND, Math.round(duringDay(at, this.t, this.rng.next())));
  }

  private add(type: EventType, user: User, at: number, draft: Step['draft'], optional = false, key?: string): number {
    this.t = this.slot(at);
    this.steps.push(key === undefined ? { type, user, at: this.t, optional, draft } : { type, user, at: this.t, optional, key, draft });
    return this.t;
  }

  private after(min: number, max: number): number {
    return this.t + this.rng.between(min, max);
  }

  private requireHandler(): User {
    if (!this.handler) throw new Error('demo history: no handler before dispatch');
    return this.handler;
  }

  private dispatchTo(actor: User, unitId: string, unitKind: 'grid' | 'community', at: number, assignee?: string, note?: string): void {
    const payload: PayloadOf<'dispatch'> = { unitId, unitKind };
    if (assignee !== undefined) payload.assignee = assignee;
    if (note !== undefined) payload.note = note;
    this.add('dispatch', actor, at, () => ({ type: 'dispatch', payload }));
  }

  private dispatch(): void {
    const { staff, place } = this.ctx;
    const worker = this.rng.pick(staff.workersOf(place.grid.id));
    const community = staff.handlerOf(place.community.id);
    const note = this.rng.chance(0.3) ? this.rng.pick(DISPATCH_NOTES) : undefined;
    const at = this.after(10 * MINUTE, 3 * HOUR);
    const route = this.rng.next();
    if (route < 0.08) {
      this.dispatchTo(this.clerk, place.community.id, 'community', at, undefined, note);
      this.handler = community;
    } else if (route < 0.2) {
      // The street sends it to the community, which passes it on to the grid.
      this.dispatchTo(this.clerk, place.community.id, 'community', at, undefined, note);
      this.dispatchTo(community, place.grid.id, 'grid', this.after(10 * MINUTE, 90 * MINUTE));
      this.handler = worker;
    } else {
      this.dispatchTo(this.clerk, place.grid.id, 'grid', at, this.rng.chance(0.25) ? worker.id : undefined, note);
      this.handler = worker;
    }
  }

  private returnOrder(): keyof typeof RETURN_REASONS {
    const code = RETURN_CODES.pick(this.rng);
    const reason = this.rng.pick(RETURN_REASONS[code]);
    this.add('return', this.requireHandler(), this.after(30 * MINUTE, DAY), () => ({ type: 'return', payload: { code, reason } }));
    return code;
  }

  private redispatch(code: keyof typeof RETURN_REASONS): void {
    const { staff, place, neighbour } = this.ctx;
    const at = this.after(30 * MINUTE, 4 * HOUR);
    const note = this.rng.pick(REDISPATCH_NOTES);
    if (code === 'wrong_jurisdiction' && neighbour) {
      this.dispatchTo(this.clerk, neighbour.grid.id, 'grid', at, undefined, note);
      this.handler = this.rng.pick(staff.workersOf(neighbour.grid.id));
    } else if (this.requireHandler().role === 'grid_worker') {
      this.dispatchTo(this.clerk, place.community.id, 'community', at, undefined, note);
      this.handler = staff.handlerOf(place.community.id);
    } else {
      this.dispatchTo(this.clerk, place.grid.id, 'grid', at, undefined, note);
      this.handler = this.rng.pick(staff.workersOf(place.grid.id));
    }
  }

  private accept(): void {
    const late = this.rng.chance(0.04);
    this.add('accept', this.requireHandler(), this.after(late ? 2 * HOUR : 5 * MINUTE, late ? 8 * HOUR : 2 * HOUR), () => ({
      type: 'accept',
      payload: {},
    }));
  }

  /** When the first close is due: mostly well before the deadline (99.81% on time), now and then after it. */
  private firstCloseTime(open: boolean): number {
    const { receivedAt } = this.ctx.intake;
    const span = this.deadline - receivedAt;
    // Skewed towards the deadline: one city's published average is 5.05 days.
    let at = this.rng.chance(0.03) ? this.deadline + this.rng.between(10 * HOUR, 2 * DAY) : receivedAt + span * (0.35 + 0.58 * Math.sqrt(this.rng.next()));
    at = Math.max(at, this.t + this.rng.between(HOUR, 6 * HOUR));
    // An order still open has not been closed yet: its close lies ahead.
    return open ? Math.max(at, this.ctx.now + this.rng.between(2 * HOUR, 2 * DAY)) : at;
  }

  /**
   * On site and on it: call the citizen, check in, photos, notes, maybe an
   * extension, until just before `closeAt`. For an open order (`open`), the
   * steps after `now` are dropped later: they have not happened yet. A redo
   * (after a rejected review or an unsatisfied call-back) has notes of its own.
   */
  private work(closeAt: number, open: boolean, redo = false): void {
    const { rng } = this;
    const { text, spot } = this.ctx;
    const handler = this.requireHandler();
    const end = Math.max(this.t + 10 * MINUTE, closeAt - 20 * MINUTE);
    const early = (min: number, max: number) => this.t + Math.min(rng.between(min, max), (end - this.t) * 0.1);
    this.contactAt = null;

    if (rng.chance(0.4)) {
      this.add('phone_reveal', handler, early(5 * MINUTE, HOUR), () => ({ type: 'phone_reveal', payload: { purpose: '联系市民核实情况' } }), open);
      this.contactAt = this.t + rng.between(MINUTE, 8 * MINUTE);
    }
    if (!text.byPhone && rng.chance(0.9)) {
      const location = fieldLocation(this.ctx.place, text.indoors === true, rng, rng.int(5, 40));
      const note = text.indoors ? '地下室/室内无信号，未能定位。' : rng.chance(0.3) ? rng.pick(CHECK_IN_NOTES) : undefined;
      this.add('check_in', handler, early(20 * MINUTE, 4 * HOUR), () => ({ type: 'check_in', payload: note === undefined ? { location } : { location, note } }), open);
      for (let i = rng.int(1, 2); i > 0; i--) this.photo('handling', 'before', this.after(MINUTE, 10 * MINUTE), open);
    }
    const notes = redo ? [rng.pick(REDO_PROGRESS)] : text.progress(spot);
    const [first, ...rest] = notes;
    if (first !== undefined) this.progress(first, early(10 * MINUTE, 90 * MINUTE), open);

    const method = (text.byPhone ? BY_PHONE_CONTACT : ON_SITE_CONTACT).pick(rng);
    const late: ((at: number) => void)[] = [];
    if (this.detours && !redo && rng.chance(0.05)) late.push((at) => this.extension(at, open));
    for (const note of rest) late.push((at) => this.progress(note, at, open));
    if (rng.chance(0.2)) late.push((at) => this.progress(rng.pick(EXTRA_PROGRESS), at, open));
    if (text.byPhone) late.push((at) => this.photo('handling', 'screenshot', at, open));
    else for (let i = rng.chance(0.3) ? 2 : 1; i > 0; i--) late.push((at) => this.photo('handling', 'after', at, open));
    if (method === 'visit') {
      late.push((at) => {
        this.photo('contact', 'contact', at, open);
        this.contactAt = this.t;
      });
    }
    if (rng.chance(0.03)) late.push((at) => this.photo('document', 'document', at, open));

    // Spread the rest evenly over the time left, each in its own slice.
    const start = this.t;
    late.forEach((step, k) => step(start + ((end - start) * (k + rng.between(0.15, 0.85))) / late.length));
    this.method = method;
    this.closeAt = Math.max(closeAt, this.t + MINUTE);
  }

  private progress(text: string, at: number, optional: boolean): void {
    this.add('progress', this.requireHandler(), at, () => ({ type: 'progress', payload: { text } }), optional);
  }

  private extension(at: number, optional: boolean): void {
    const { rng } = this;
    const deadline = this.deadline;
    // Asked for before the deadline, as the rules require.
    const requestAt = Math.min(at, Math.max(this.t, deadline - rng.between(HOUR, 12 * HOUR)));
    const until = deadline + rng.int(3, 7) * DAY;
    const reason = rng.pick(EXTENSION_REASONS);
    const key = `extension-${this.steps.length}`;
    this.add('extension_request', this.requireHandler(), requestAt, () => ({ type: 'extension_request', payload: { reason, until } }), optional, key);
    const decider = rng.chance(0.8) ? this.clerk : this.supervisor;
    const decideAt = this.after(2 * HOUR, DAY);
    if (rng.chance(0.75)) {
      const shorter = rng.chance(0.3) ? deadline + rng.int(1, 2) * DAY : undefined;
      this.deadline = shorter ?? until;
      this.add(
        'extension_approve',
        decider,
        decideAt,
        ({ idOf }) => ({ type: 'extension_approve', payload: shorter === undefined ? { requestId: idOf(key) } : { requestId: idOf(key), until: shorter } }),
        optional,
      );
    } else {
      const refusal = rng.pick(EXTENSION_REFUSALS);
      this.add('extension_refuse', decider, decideAt, ({ idOf }) => ({ type: 'extension_refuse', payload: { requestId: idOf(key), reason: refusal } }), optional);
    }
  }

  private photo(kind: PhotoKind, moment: PhotoMoment, at: number, optional: boolean): void {
    const { place, text, random } = this.ctx;
    const photo = plannedPhoto(place, text.indoors === true, kind, moment, this.rng, random);
    this.add('photo_added', this.requireHandler(), at, ({ at: stamped }) => ({ type: 'photo_added', payload: photo.payload(stamped) }), optional);
    this.cycle.push(photo);
  }

  private close(): void {
    const { text, spot, intake } = this.ctx;
    const result = plannedResult(
      { text, spot, phone: intake.citizen.phone, method: this.method, photos: this.cycle, plain: !this.detours },
      this.rng,
    );
    const at = this.slot(this.closeAt);
    const contactAt = this.contactAt ?? at - this.rng.between(0, Math.min(3 * HOUR, (at - this.t) / 2));
    const closedAt = this.add('close', this.requireHandler(), at, ({ time, at: stamped }) => ({ type: 'close', payload: result(Math.min(time(contactAt), stamped)) }));
    this.firstCloseAt ??= closedAt;
    this.cycle = [];
  }

  /** 审核退回: back to the handler. */
  private reject(): void {
    const reason = this.rng.pick(REVIEW_REJECTIONS);
    this.add('review_reject', this.clerk, this.after(HOUR, 8 * HOUR), () => ({ type: 'review_reject', payload: { reason } }));
  }

  /** Back in progress after a rejected review or an unsatisfied call-back: redo and close again. */
  private redo(): void {
    this.work(this.t + this.rng.between(4 * HOUR, 3 * DAY), false, true);
    this.close();
  }

  private reviewPass(): void {
    const reviewer = this.rng.chance(0.85) ? this.clerk : this.supervisor;
    const note = this.rng.chance(0.4) ? this.rng.pick(REVIEW_NOTES) : undefined;
    this.add('review_pass', reviewer, this.after(HOUR, DAY), () => ({ type: 'review_pass', payload: note === undefined ? {} : { note } }));
  }

  private reply(): void {
    const note = this.rng.pick(PORTAL_REPLY_NOTES);
    this.add('portal_reply', this.clerk, this.after(10 * MINUTE, DAY), () => ({ type: 'portal_reply', payload: { portal: PORTAL_NAME, note } }));
  }

  private callback(satisfaction: Satisfaction): void {
    const caller = this.rng.chance(0.8) ? this.clerk : this.supervisor;
    if (this.rng.chance(0.3)) {
      this.add('phone_reveal', caller, this.after(DAY, 3 * DAY), () => ({ type: 'phone_reveal', payload: { purpose: '回访' } }));
    }
    const note = this.rng.pick(CALLBACK_NOTES[satisfaction]);
    this.add('callback', caller, this.after(MINUTE, 2 * DAY), () => ({ type: 'callback', payload: { satisfaction, note } }));
  }

  private archive(at: number): void {
    this.add('archive', this.clerk, at, () => ({ type: 'archive', payload: {} }));
  }

  private merge(): void {
    const into = this.ctx.mergeInto;
    if (into === undefined) throw new Error('demo history: a merged order needs the order it was merged into');
    const note = this.rng.pick(MERGE_NOTES);
    this.add('merge', this.clerk, this.after(20 * MINUTE, 6 * HOUR), () => ({ type: 'merge', payload: { intoOrderNo: into, note } }));
  }
}
