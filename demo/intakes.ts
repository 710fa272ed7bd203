/**
 * Order intakes as the hotline hands them over: type, channel and category
 * in the proportions the source articles report, a citizen, an address in a
 * real grid of the demo organisation, and the deadline policy's 办理时限.
 */
import type { RandomBytes } from '#shared/clock/ids.ts';
import { deadlineFor, type DeadlinePolicy } from '#shared/order/deadline.ts';
import type { Attachment, Channel, OrderIntake, OrderType, SupervisionLevel } from '#shared/order/intake.ts';
import type { Location } from '#shared/order/values.ts';
import { citizenName, mobileNumber } from './names.ts';
import type { GridPlace } from './org.ts';
import { randomHex, weighted, type Rng, type Weighted } from './random.ts';
import type { RealCase } from './real-cases.ts';
import { addressOf, spotIn, type Spot } from './spot.ts';
import { TEMPLATES, type CaseTemplate, type CaseText } from './templates.ts';
import { cstParts, orderNumber } from './time.ts';

/** Request types over half a year in one city: 求助 64.6%, 咨询 19.6%, 投诉 7%, 建议 1.6%, 表扬 0.1%, 其他 0.8%. */
export const TYPE_WEIGHTS = weighted<OrderType>([
  ['help', 64.6],
  ['enquiry', 19.6],
  ['complaint', 7],
  ['suggestion', 1.6],
  ['praise', 0.1],
  ['other', 0.8],
]);

/**
 * One week of a third city: 11,471 phone, 1,038 WeChat, 8 app, 7 web, 103
 * from the provincial platform; plus a small share of 市长信箱 and 人民网留言板.
 */
export const CHANNEL_WEIGHTS = weighted<Channel>([
  ['phone', 11_471],
  ['wechat', 1_038],
  ['app', 8],
  ['web', 7],
  ['provincial', 103],
  ['mayor_mailbox', 60],
  ['people_board', 20],
]);

const byWeight = (list: readonly CaseTemplate[]) => weighted(list.map((t) => [t, t.weight] as const));
const TEMPLATE_TABLES: Readonly<Record<OrderType, Weighted<CaseTemplate>>> = {
  help: byWeight(TEMPLATES.help),
  enquiry: byWeight(TEMPLATES.enquiry),
  complaint: byWeight(TEMPLATES.complaint),
  suggestion: byWeight(TEMPLATES.suggestion),
  praise: byWeight(TEMPLATES.praise),
  other: byWeight(TEMPLATES.other),
};

/** Share of orders read from a portal by the extension rather than handed over by the hotline. */
const PORTAL_IMPORT_SHARE = 0.08;

const SUPERVISION = weighted<SupervisionLevel>([
  ['none', 978],
  ['reminder', 15],
  ['warning', 5],
  ['listed', 2],
]);

export interface DraftedIntake {
  readonly intake: OrderIntake;
  /** The story the order's history continues. */
  readonly text: CaseText;
  readonly spot: Spot;
}

export interface IntakeContext {
  /** The order's id (seeded, never made from the order number alone: see demoOrderId). */
  readonly id: string;
  readonly place: GridPlace;
  readonly receivedAt: number;
  /** Makes the order number unique: its last six digits. */
  readonly serial: number;
  readonly policy: DeadlinePolicy;
  readonly rng: Rng;
  readonly random: RandomBytes;
}

export function draftIntake(ctx: IntakeContext): DraftedIntake {
  const { rng } = ctx;
  const type = TYPE_WEIGHTS.pick(rng);
  const text = TEMPLATE_TABLES[type].pick(rng);
  const channel = CHANNEL_WEIGHTS.pick(rng);
  const spot = spotIn(ctx.place, rng);
  const online = channel === 'wechat' || channel === 'app' || channel === 'web';
  return {
    text,
    spot,
    intake: assemble(ctx, {
      type,
      channel,
      text,
      spot,
      address: addressOf(spot, text.where),
      supervision: SUPERVISION.pick(rng),
      location: online && rng.chance(0.5) ? { kind: 'fix', position: positionNear(ctx.place, rng, rng.int(15, 80)) } : undefined,
      attachments: online && rng.chance(0.25) ? citizenPhotos(ctx, rng.int(1, 2)) : [],
    }),
  };
}

export function realCaseIntake(ctx: IntakeContext, real: RealCase): DraftedIntake {
  const spot = spotIn(ctx.place, ctx.rng);
  return {
    text: real,
    spot,
    intake: assemble(ctx, {
      type: real.type,
      channel: real.channel,
      text: real,
      spot,
      address: real.address,
      supervision: real.supervision ?? 'none',
      location: undefined,
      attachments: [],
    }),
  };
}

interface Choices {
  readonly type: OrderType;
  readonly channel: Channel;
  readonly text: CaseText;
  readonly spot: Spot;
  readonly address: string;
  readonly supervision: SupervisionLevel;
  readonly location: Location | undefined;
  readonly attachments: Attachment[];
}

function assemble(ctx: IntakeContext, c: Choices): OrderIntake {
  const { rng, place, receivedAt } = ctx;
  const orderNo = orderNumber(receivedAt, ctx.serial);
  const imported = rng.chance(PORTAL_IMPORT_SHARE);
  const intake: OrderIntake = {
    id: ctx.id,
    orderNo,
    source: imported ? 'portal_import' : 'hotline',
    channel: c.channel,
    type: c.type,
    category: c.text.category,
    title: c.text.title(c.spot),
    content: c.text.content(c.spot),
    citizen: { name: citizenName(rng), phone: mobileNumber(rng) },
    address: c.address,
    place: { districtId: place.district.id, streetId: place.street.id, communityId: place.community.id, gridId: place.grid.id },
    receivedAt,
    deadline: deadlineFor(receivedAt, c.type, c.text.category, ctx.policy),
    handlingUnit: `${place.street.name}办事处`,
    supervision: c.supervision,
    businessEnvironment: c.text.category === '营商环境',
    attachments: c.attachments,
  };
  // Optional fields are left out rather than set to undefined: the intake is stored as JSON.
  if (c.location) intake.location = c.location;
  if (imported) intake.portal = { adapterId: 'demo-portal', url: `https://portal.example/12345/orders/${orderNo}` };
  return intake;
}

/** A position within `accuracy` metres or so of the grid's centre. */
export function positionNear(place: GridPlace, rng: Rng, accuracy: number): { lat: number; lng: number; accuracy: number } {
  const metres = 350;
  return {
    lat: Math.round((place.centre.lat + rng.between(-metres, metres) / 111_000) * 1e6) / 1e6,
    lng: Math.round((place.centre.lng + rng.between(-metres, metres) / 91_000) * 1e6) / 1e6,
    accuracy,
  };
}

function citizenPhotos(ctx: IntakeContext, count: number): Attachment[] {
  const p = cstParts(ctx.receivedAt);
  return Array.from({ length: count }, (_, i) => ({
    sha256: randomHex(ctx.random, 32),
    name: `IMG_20${p.yy}${p.MM}${p.dd}_${p.HH}${p.mm}${String(i).padStart(2, '0')}.jpg`,
    mime: 'image/jpeg' as const,
    size: ctx.rng.int(180_000, 2_400_000),
  }));
}
