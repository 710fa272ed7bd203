/**
 * What a handler gathers on site and hands in with the close: positions,
 * photos by kind, and the result the portal's handling form asks for.
 */
import type { RandomBytes } from '#shared/clock/ids.ts';
import type { ClosePayload, PayloadOf, PhotoKind, Resolution } from '#shared/order/events.ts';
import type { Location } from '#shared/order/values.ts';
import { positionNear } from './intakes.ts';
import type { GridPlace } from './org.ts';
import { CONTACT_NOTES, NOT_CONTACTED_NOTES, PHOTO_CAPTIONS, UNFOUNDED, UNRESOLVED_REASONS } from './phrases.ts';
import { randomHex, weighted, type Rng } from './random.ts';
import type { Spot } from './spot.ts';
import type { CaseText } from './templates.ts';
import { SECOND } from './time.ts';

export type ContactMethod = NonNullable<ClosePayload['contact']['method']>;

/** How the citizen was contacted: on-site cases often by a visit, which then needs a 联系证据 photo. */
export const ON_SITE_CONTACT = weighted<ContactMethod>([
  ['phone', 55],
  ['visit', 30],
  ['wechat', 8],
  ['sms', 5],
  ['other', 2],
]);
export const BY_PHONE_CONTACT = weighted<ContactMethod>([
  ['phone', 85],
  ['sms', 10],
  ['wechat', 5],
]);

const RESOLUTIONS = weighted<Resolution>([
  ['resolved', 90],
  ['partly', 7],
  ['unresolved', 3],
]);

const PHOTO_SIZES = [
  [1920, 1440],
  [1440, 1920],
  [1920, 1080],
  [1080, 1920],
  [1600, 1200],
] as const;

/** A check-in's or photo's position: none in basements, now and then no fix outdoors either. */
export function fieldLocation(place: GridPlace, indoors: boolean, rng: Rng, accuracy: number): Location {
  if (indoors) return { kind: 'none', reason: 'indoors' };
  if (rng.chance(0.04)) return { kind: 'none', reason: rng.chance(0.5) ? 'unavailable' : 'timeout' };
  return { kind: 'fix', position: positionNear(place, rng, accuracy) };
}

/** Before/after photos of the work, proof of a visit, a document, or a screenshot of the call log. */
export type PhotoMoment = 'before' | 'after' | 'contact' | 'document' | 'screenshot';

export interface PlannedPhoto {
  readonly sha256: string;
  readonly kind: PhotoKind;
  /** The payload, once the time of the event is known. */
  readonly payload: (at: number) => PayloadOf<'photo_added'>;
}

export function plannedPhoto(place: GridPlace, indoors: boolean, kind: PhotoKind, moment: PhotoMoment, rng: Rng, random: RandomBytes): PlannedPhoto {
  // Fake but well-formed: the bytes never exist, only their hash.
  const sha256 = randomHex(random, 32);
  const screenshot = moment === 'screenshot';
  const [width, height] = screenshot ? [1080, 2340] : rng.pick(PHOTO_SIZES);
  const size = screenshot ? rng.int(260_000, 900_000) : rng.int(140_000, 780_000);
  const location = fieldLocation(place, indoors, rng, rng.int(4, 35));
  const sinceCapture = rng.int(3, 90) * SECOND;
  const caption = screenshot ? '通话记录' : rng.pick(PHOTO_CAPTIONS[moment]);
  const mime = screenshot ? 'image/png' : 'image/jpeg';
  return {
    sha256,
    kind,
    payload: (at) => ({ sha256, kind, mime, size, width, height, takenAt: at - sinceCapture, location, caption }),
  };
}

export interface ResultInput {
  readonly text: CaseText;
  readonly spot: Spot;
  readonly phone: string | undefined;
  readonly method: ContactMethod;
  /** Photos added since the last close, to refer to by kind. */
  readonly photos: readonly { readonly sha256: string; readonly kind: PhotoKind }[];
  /** Real cases: founded, resolved and the citizen reached. */
  readonly plain: boolean;
}

/** 办结: founded, resolved or why not, the contact record, 办理情况, 公开答复内容 and photos by kind. */
export function plannedResult(input: ResultInput, rng: Rng): (contactAt: number) => PayloadOf<'close'> {
  const { text, spot, plain, method } = input;
  const founded = plain || rng.chance(0.93);
  const resolution = founded && !plain ? RESOLUTIONS.pick(rng) : 'resolved';
  // A visit leaves a photo as proof, so it did reach the citizen.
  const contacted = plain || method === 'visit' || rng.chance(0.97);
  const contactNote = rng.chance(0.5) ? rng.pick(CONTACT_NOTES) : undefined;
  const notContacted = rng.pick(NOT_CONTACTED_NOTES);
  const photosOf = (kind: PhotoKind) => input.photos.filter((p) => p.kind === kind).map((p) => p.sha256);
  const base = {
    founded,
    beyondRemit: !plain && rng.chance(0.02),
    resolution,
    ...(resolution === 'resolved' ? {} : { unresolvedReason: rng.pick(UNRESOLVED_REASONS[resolution]) }),
    actions: founded ? text.actions(spot) : UNFOUNDED.actions,
    publicReply: founded ? text.reply(spot) : UNFOUNDED.reply,
    photos: { handling: photosOf('handling'), contact: photosOf('contact'), document: photosOf('document') },
  };
  return (contactAt) => ({
    ...base,
    contact: contacted
      ? {
          contacted: true,
          method,
          at: contactAt,
          ...(method === 'visit' || input.phone === undefined ? {} : { number: input.phone }),
          ...(contactNote === undefined ? {} : { note: contactNote }),
        }
      : { contacted: false, note: notContacted },
  });
}
