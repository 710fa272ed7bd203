/**
 * A first draft of 办理情况 and 公开答复, written from the order's own record
 * (arrival time and place, progress notes, photos taken, the resolution) in
 * the register of official replies, for the worker to edit rather than write.
 * Pure: the time words come from `now`.
 */
import { formatWhen } from '../util/when.ts';
import type { Resolution } from './events.ts';
import type { OrderIntake } from './intake.ts';
import { placeOf } from './place.ts';
import type { OrderView } from './reducer.ts';

export interface ReplyDraftInput {
  readonly intake: Pick<OrderIntake, 'title' | 'address' | 'location'>;
  readonly view: Pick<OrderView, 'checkIns' | 'photos' | 'timeline'>;
  /** The resolution chosen in the close form, if any yet. */
  readonly resolution: Resolution | null;
  readonly unresolvedReason?: string;
  readonly now: number;
}

export interface ReplyDraft {
  /** 办理情况 */
  readonly actions: string;
  /** 公开答复内容 */
  readonly publicReply: string;
}

/** "中州路井盖缺失" → "中州路井盖缺失问题", without "问题问题". */
function matterOf(title: string): string {
  const trimmed = title.trim().replace(/[。.！!？?]+$/u, '');
  return /问题$/u.test(trimmed) ? trimmed : `${trimmed}问题`;
}

/** Ends a clause with one Chinese full stop. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/[。；;，,.\s]+$/u, '');
  return trimmed ? `${trimmed}。` : '';
}

function arrival(input: ReplyDraftInput): string {
  const first = [...input.view.checkIns].sort((a, b) => a.at - b.at)[0];
  if (!first) return '';
  const place = placeOf(first.location, input.intake.location);
  const where = place.kind === 'near' ? `（距事发地约 ${place.metres} 米）` : '';
  return `${formatWhen(first.at, input.now)}到达现场${where}核实情况`;
}

function progressNotes(input: ReplyDraftInput): string[] {
  return input.view.timeline
    .filter((entry) => entry.applied && entry.event.type === 'progress')
    .map((entry) => (entry.event.type === 'progress' ? entry.event.payload.text.trim() : ''))
    .filter((text) => text.length > 0);
}

function photoWords(input: ReplyDraftInput): string {
  const unique = [...new Map(input.view.photos.map((p) => [p.sha256, p])).values()];
  if (unique.length === 0) return '';
  const before = unique.filter((p) => p.stage === 'before').length;
  const after = unique.filter((p) => p.stage === 'after').length;
  const pairs = before > 0 || after > 0 ? `（处置前 ${before} 张、处置后 ${after} 张）` : '';
  return `现场拍照 ${unique.length} 张${pairs}`;
}

function outcome(resolution: Resolution | null, reason: string): { actions: string; reply: string } {
  const why = reason.trim().replace(/[。.]+$/u, '');
  switch (resolution) {
    case 'resolved':
      return { actions: '问题已解决', reply: '目前该问题已处理完毕' };
    case 'partly':
      return { actions: `问题已部分解决${why ? `，${why}` : ''}`, reply: `目前该问题已部分解决${why ? `，${why}` : ''}，我们将持续跟进` };
    case 'unresolved':
      return { actions: `问题暂未解决${why ? `，原因：${why}` : ''}`, reply: `目前该问题暂未能解决${why ? `，原因是${why}` : ''}，我们将持续关注并协调处理` };
    default:
      return { actions: '', reply: '' };
  }
}

export function draftReply(input: ReplyDraftInput): ReplyDraft {
  const notes = progressNotes(input);
  const done = outcome(input.resolution, input.unresolvedReason ?? '');
  const actions = [arrival(input), ...notes, photoWords(input), done.actions].map(sentence).join('');
  const matter = matterOf(input.intake.title);
  const visited = input.view.checkIns.length > 0 ? '工作人员已到现场核实处理' : '我们已受理并进行处理';
  const summary = notes.length > 0 ? `，${notes.map((n) => n.replace(/[。；;，,.\s]+$/u, '')).join('，')}` : '';
  const publicReply =
    `您好，您反映的${matter}，${visited}${summary}。` + (done.reply ? sentence(done.reply) : '') + '感谢您对我们工作的支持与监督。';
  return { actions, publicReply };
}
