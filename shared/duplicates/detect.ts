/**
 * 并单 suggestions: for an incoming order (a hotline intake, a portal import or
 * a worker's field report), the street's recent orders that are likely the
 * same matter, ranked, each with the reasons a clerk can check. Pure: the
 * candidates and the present (`now`) are passed in.
 *
 * A candidate matches when
 *   - its address is the same as or near the incoming one (by its words,
 *     address.ts, or within NEAR_METRES when both orders carry a position
 *     fix) AND what it is about is similar (content.ts: bigrams, characters
 *     and problem kinds of title + content, with the address and boilerplate
 *     taken out; at least CONTENT_FLOOR); or
 *   - the same citizen phone number called within SAME_PHONE_WINDOW_MS. The
 *     number alone is worth showing, but is `likely` only when the words or
 *     the place agree too: one caller may report two things in a week.
 * Enquiries and praise are about the caller, not a place: two citizens asking
 * how to replace a social-security card are two orders, so for those only
 * the same phone number matches. The order's category adds a little (`score`).
 *
 * Which candidates are considered (`isCandidateAt`): received within
 * WINDOW_MS before `now`; not merged (a merged order follows its master,
 * which is the one to merge into, and merge chains are avoided); not archived
 * more than ARCHIVED_GRACE_MS ago (counted from its close) — a recent answer
 * is worth showing ("fixed two days ago"), an old one is a new occurrence.
 *
 * Speed: `buildDuplicateIndex` computes each candidate's features once
 * (bigrams, characters, problem kinds, parsed address, phone digits,
 * position) and inverted indexes from bigrams, kinds and numbers to
 * candidates, so a query only touches candidates sharing one of those. Build
 * it once per street and reuse it for every incoming order; `now` is a
 * parameter of the query, so one index serves a whole day.
 */
import type { OrderIntake, OrderType } from '../order/intake.ts';
import type { OrderView } from '../order/reducer.ts';
import { isOpenStatus, type Status } from '../order/status.ts';
import type { Location } from '../order/values.ts';
import { compareAddresses, parseAddress, type AddressComparison, type AddressParts } from './address.ts';
import { contentFeatures, contentSimilarity, type ContentFeatures } from './content.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Candidates are the street's orders received this long before `now`. */
export const WINDOW_MS = 30 * DAY;
/** The same caller within this long is suggested whatever the words. */
export const SAME_PHONE_WINDOW_MS = 7 * DAY;
/** An archived order stays a candidate this long after its close. */
export const ARCHIVED_GRACE_MS = 7 * DAY;
/** Two position fixes this close are a nearby address. */
export const NEAR_METRES = 100;
/** Two fixes this far apart are different places unless the words say the same place. */
export const FAR_METRES = 500;
/** A fix less precise than this (cell towers, IP) says nothing about the street-level place. */
export const MAX_ACCURACY_METRES = 150;
/**
 * Below this content similarity, a shared address alone is not a match: one
 * place, another problem. It is above what characters alone can give (0.2/0.7,
 * see CONTENT_WEIGHTS), so a candidate sharing no bigram and no problem kind
 * cannot match by place, and the query need not look at it.
 */
export const CONTENT_FLOOR = 0.3;
/** Score from which a suggestion is `likely`: the threshold precision and recall are measured at. */
export const LIKELY_SCORE = 0.6;

/** One of the street's recent orders, as far as the caller knows it. */
export interface DuplicateCandidate {
  readonly id: string;
  readonly orderNo: string;
  readonly receivedAt: number;
  readonly status: Status;
  /** When it got its result (`OrderView.closedAt`): how long an archived order stays a candidate is counted from it. */
  readonly closedAt?: number | null;
  readonly type?: OrderType;
  readonly category?: string;
  readonly title: string;
  /** 诉求内容, when known (index-doc summaries do not carry it; the title alone still works, less well). */
  readonly content?: string;
  readonly address: string;
  /** The citizen's number, when known. A masked one (138****5678) is ignored. */
  readonly phone?: string | null;
  readonly location?: Location | null;
}

/** The incoming order. */
export interface DuplicateProbe {
  /** Its own id, if it is already stored: it is never its own duplicate. */
  readonly id?: string;
  readonly receivedAt: number;
  readonly type?: OrderType;
  readonly category?: string;
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly phone?: string | null;
  readonly location?: Location | null;
}

/**
 * Why a candidate was suggested, as codes and numbers: each app words them
 * (`describeDuplicateReason` has zh-CN and en).
 */
export type DuplicateReason =
  | { readonly code: 'same_address' }
  | {
      readonly code: 'near_address';
      /** `door`: a neighbouring door number; `road`: the same road only; `distance`: the two position fixes. */
      readonly basis: 'door' | 'road' | 'distance';
      /** Between the two position fixes, rounded to 10 m; null when either has none. */
      readonly metres: number | null;
    }
  | { readonly code: 'similar_content'; readonly percent: number }
  | { readonly code: 'same_phone'; readonly hoursApart: number }
  | { readonly code: 'same_category'; readonly category: string };

export interface DuplicateSuggestion {
  readonly id: string;
  readonly orderNo: string;
  readonly status: Status;
  readonly receivedAt: number;
  /** 0–1, two decimals; ranks the suggestions. */
  readonly score: number;
  /** score ≥ the threshold (LIKELY_SCORE unless given): worth a clerk's look before dispatch. */
  readonly likely: boolean;
  /** Strongest first. */
  readonly reasons: readonly DuplicateReason[];
}

export interface FindOptions {
  /** Suggestions below this score are left out (default 0: every match). */
  readonly minScore?: number;
  /** At most this many, best first (default 10). */
  readonly limit?: number;
  /** `likely` from this score (default LIKELY_SCORE). */
  readonly likelyScore?: number;
}

interface Position {
  readonly lat: number;
  readonly lng: number;
  readonly accuracy: number;
}

/** A candidate's features, computed once. */
interface Entry {
  readonly candidate: DuplicateCandidate;
  readonly content: ContentFeatures;
  readonly address: AddressParts;
  readonly phone: string | null;
  readonly position: Position | null;
  readonly personal: boolean;
}

const DATA = Symbol('duplicate index');

interface IndexData {
  /** By position; null where a candidate was replaced by `updateDuplicateIndex`. */
  readonly entries: (Entry | null)[];
  /**
   * By position: the last `now` at which the entry is a candidate (`isCandidateAt`
   * as one number; -Infinity once replaced). Kept apart from the entries so that
   * the first test of every posting is one read from a compact array.
   */
  expiresAt: Float64Array;
  readonly byId: Map<string, number>;
  /** Bigram → positions of the entries holding it. */
  readonly postings: Map<string, number[]>;
  /** Problem kind → positions. */
  readonly kinds: Map<number, number[]>;
  /** Phone digits → positions. */
  readonly phones: Map<string, number[]>;
}

/**
 * The precomputed features of a street's candidates: build with
 * `buildDuplicateIndex`, keep current with `updateDuplicateIndex`, query with
 * `findDuplicates`. Opaque to everything else.
 */
export interface DuplicateIndex {
  /** Candidates held. */
  readonly size: number;
  readonly [DATA]: IndexData;
}

export function buildDuplicateIndex(candidates: readonly DuplicateCandidate[]): DuplicateIndex {
  const index: DuplicateIndex = {
    get size() {
      return this[DATA].byId.size;
    },
    [DATA]: { entries: [], expiresAt: new Float64Array(64), byId: new Map(), postings: new Map(), kinds: new Map(), phones: new Map() },
  };
  updateDuplicateIndex(index, candidates);
  return index;
}

/**
 * Adds orders to the index, or replaces those it holds (by id): a new status
 * or close time is taken as it is; changed words, address, number or position
 * get their features computed again. The one way an index changes, so that a
 * server can keep one per street as orders arrive and move on.
 */
export function updateDuplicateIndex(index: DuplicateIndex, candidates: readonly DuplicateCandidate[]): void {
  const data = index[DATA];
  for (const candidate of candidates) {
    const held = data.byId.get(candidate.id);
    const old = held === undefined ? null : data.entries[held]!;
    if (held !== undefined && old && sameFeatures(old.candidate, candidate)) {
      data.entries[held] = { ...old, candidate };
      data.expiresAt[held] = expiry(candidate);
      continue;
    }
    // A changed order is added again; its old entry stays in the postings, marked null, and is skipped.
    if (held !== undefined) {
      data.entries[held] = null;
      data.expiresAt[held] = -Infinity;
    }
    const position = data.entries.length;
    if (position === data.expiresAt.length) {
      const grown = new Float64Array(position * 2);
      grown.set(data.expiresAt);
      data.expiresAt = grown;
    }
    data.expiresAt[position] = expiry(candidate);
    const address = parseAddress(candidate.address);
    const content = contentFeatures(candidate.title, candidate.content ?? '', candidate.address, address.key);
    for (const term of content.terms) post(data.postings, term, position);
    for (const kind of content.kinds) post(data.kinds, kind, position);
    const phone = phoneDigits(candidate.phone);
    if (phone !== null) post(data.phones, phone, position);
    data.entries.push({
      candidate,
      content,
      address,
      phone,
      position: positionOf(candidate.location),
      personal: isPersonal(candidate.type),
    });
    data.byId.set(candidate.id, position);
  }
}

function sameFeatures(a: DuplicateCandidate, b: DuplicateCandidate): boolean {
  return (
    a.title === b.title &&
    (a.content ?? '') === (b.content ?? '') &&
    a.address === b.address &&
    (a.phone ?? null) === (b.phone ?? null) &&
    a.type === b.type &&
    JSON.stringify(a.location ?? null) === JSON.stringify(b.location ?? null)
  );
}

function post<K>(map: Map<K, number[]>, key: K, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}

/** Whether a candidate is one to suggest at `now` (see the rule at the top of this file). */
export function isCandidateAt(candidate: Pick<DuplicateCandidate, 'receivedAt' | 'status' | 'closedAt'>, now: number): boolean {
  return now <= expiry(candidate);
}

/** The last `now` at which a candidate is one to suggest. */
function expiry(candidate: Pick<DuplicateCandidate, 'receivedAt' | 'status' | 'closedAt'>): number {
  if (candidate.status === 'merged') return -Infinity;
  const window = candidate.receivedAt + WINDOW_MS;
  if (candidate.status === 'archived') return Math.min(window, (candidate.closedAt ?? candidate.receivedAt) + ARCHIVED_GRACE_MS);
  return window;
}

const LOOKED = 1;
const SAME_PHONE = 2;

/** The incoming order's likely duplicates among the index's candidates, best first. */
export function findDuplicates(index: DuplicateIndex, probe: DuplicateProbe, now: number, options: FindOptions = {}): DuplicateSuggestion[] {
  const minScore = options.minScore ?? 0;
  const limit = options.limit ?? 10;
  const likelyScore = options.likelyScore ?? LIKELY_SCORE;
  const data = index[DATA];
  const address = parseAddress(probe.address);
  const content = contentFeatures(probe.title, probe.content, probe.address, address.key);
  const phone = phoneDigits(probe.phone);
  const position = positionOf(probe.location);
  const personal = isPersonal(probe.type);

  // Shared bigrams per candidate, counted through the postings of the probe's
  // bigrams. Only candidates sharing a bigram, a problem kind or the phone
  // number are looked at: no other can reach CONTENT_FLOOR or match by phone.
  // Candidates out of the window, merged, archived long ago or replaced are
  // skipped at the first posting that names them.
  const size = data.entries.length;
  const { expiresAt } = data;
  const shared = new Int32Array(size);
  const flags = new Uint8Array(size);
  const looked: number[] = [];
  for (const term of content.terms) {
    for (const i of data.postings.get(term) ?? []) {
      if (expiresAt[i]! < now) continue;
      shared[i]!++;
      if (flags[i] === 0) looked.push(i);
      flags[i]! |= LOOKED;
    }
  }
  for (const kind of content.kinds) {
    for (const i of data.kinds.get(kind) ?? []) {
      if (flags[i] !== 0 || expiresAt[i]! < now) continue;
      looked.push(i);
      flags[i] = LOOKED;
    }
  }
  for (const i of phone === null ? [] : (data.phones.get(phone) ?? [])) {
    if (expiresAt[i]! < now) continue;
    if (flags[i] === 0) looked.push(i);
    flags[i]! |= LOOKED | SAME_PHONE;
  }

  const out: DuplicateSuggestion[] = [];
  for (const i of looked) {
    const entry = data.entries[i]!;
    const { candidate } = entry;
    if (candidate.id === probe.id) continue;
    const phoneMatch = (flags[i]! & SAME_PHONE) !== 0 && Math.abs(candidate.receivedAt - probe.receivedAt) <= SAME_PHONE_WINDOW_MS;
    const place = placeOf(address, position, entry);
    // Neither the number nor the place: the words cannot make it a match, so they are not compared.
    if (!phoneMatch && place.strength === 0) continue;
    const similarity = contentSimilarity(shared[i]!, content, entry.content);
    const scored = score({
      similarity,
      place,
      phoneMatch,
      personal: personal || entry.personal,
      sameCategory: probe.category !== undefined && probe.category === candidate.category,
    });
    if (scored === null || scored < minScore) continue;
    out.push({
      id: candidate.id,
      orderNo: candidate.orderNo,
      status: candidate.status,
      receivedAt: candidate.receivedAt,
      score: scored,
      likely: scored >= likelyScore,
      reasons: reasons({ similarity, place, phoneMatch, hoursApart: Math.round(Math.abs(candidate.receivedAt - probe.receivedAt) / HOUR) }, probe, candidate),
    });
  }
  return out.sort(byRank).slice(0, limit);
}

/** `findDuplicates` without keeping the index: for one-off checks and tests. */
export function suggestDuplicates(
  probe: DuplicateProbe,
  candidates: readonly DuplicateCandidate[],
  now: number,
  options: FindOptions = {},
): DuplicateSuggestion[] {
  return findDuplicates(buildDuplicateIndex(candidates), probe, now, options);
}

/** The incoming order as the detector reads it. */
export function probeOf(intake: OrderIntake): DuplicateProbe {
  return {
    id: intake.id,
    receivedAt: intake.receivedAt,
    type: intake.type,
    category: intake.category,
    title: intake.title,
    content: intake.content,
    address: intake.address,
    phone: intake.citizen.phone ?? null,
    location: intake.location ?? null,
  };
}

/** A stored order as a candidate: its intake and where its derived view stands. */
export function candidateOf(intake: OrderIntake, view: Pick<OrderView, 'status' | 'closedAt'>): DuplicateCandidate {
  return { ...probeOf(intake), id: intake.id, orderNo: intake.orderNo, status: view.status, closedAt: view.closedAt };
}

interface Place {
  readonly words: AddressComparison;
  /** Metres between the two fixes, when both have a usable one. */
  readonly metres: number | null;
  /** How much the place says they are one: 0 (nothing, or different places) to 1. */
  readonly strength: number;
  readonly reason: DuplicateReason | null;
}

/** Address strength by level; a position fix can raise `none` and `road` to nearby. */
const STRENGTH = { same: 1, near: 0.8, road: 0.5, none: 0, different: 0 } as const;

function placeOf(address: AddressParts, position: Position | null, entry: Entry): Place {
  const words = compareAddresses(address, entry.address);
  const metres = position && entry.position ? distanceMetres(position, entry.position) : null;
  const rounded = metres === null ? null : Math.round(metres / 10) * 10;
  let strength: number = STRENGTH[words.level];
  let reason: DuplicateReason | null =
    words.level === 'same'
      ? { code: 'same_address' }
      : words.level === 'near' || words.level === 'road'
        ? { code: 'near_address', basis: words.level === 'near' ? 'door' : 'road', metres: rounded }
        : null;
  // Words that name two different places win over positions: a citizen's fix
  // is often where they stood to report, not where the problem is.
  if (metres !== null && words.level !== 'different' && words.level !== 'same') {
    if (metres <= NEAR_METRES) {
      const byDistance = metres <= NEAR_METRES / 2 ? 0.8 : 0.65;
      if (byDistance > strength) {
        strength = byDistance;
        reason = { code: 'near_address', basis: 'distance', metres: rounded };
      }
    } else if (metres > FAR_METRES) {
      strength = 0;
      reason = null;
    }
  }
  return { words, metres, strength, reason };
}

interface Signals {
  readonly similarity: number;
  readonly place: Place;
  readonly phoneMatch: boolean;
  readonly personal: boolean;
  readonly sameCategory: boolean;
}

/**
 * The score, or null when the candidate does not match at all.
 *   by place and words: 0.35 × place strength + 0.65 × content similarity,
 *     when the place strength is above 0 and the similarity at least CONTENT_FLOOR;
 *   by phone: 0.45 + 0.45 × similarity + 0.1 × place strength — the same
 *     caller alone is worth showing (0.45) but not `likely` unless the words
 *     or the place agree too (a caller may report two different things);
 *   + 0.03 for the same category, a weak hint: operators choose categories differently.
 */
function score(s: Signals): number | null {
  const byPlace = !s.personal && s.place.strength > 0 && s.similarity >= CONTENT_FLOOR ? 0.35 * s.place.strength + 0.65 * s.similarity : 0;
  const byPhone = s.phoneMatch ? 0.45 + 0.45 * s.similarity + 0.1 * s.place.strength : 0;
  const best = Math.max(byPlace, byPhone);
  if (best === 0) return null;
  return Math.round(Math.min(1, best + (s.sameCategory ? 0.03 : 0)) * 100) / 100;
}

function reasons(
  s: { similarity: number; place: Place; phoneMatch: boolean; hoursApart: number },
  probe: DuplicateProbe,
  candidate: DuplicateCandidate,
): DuplicateReason[] {
  const out: DuplicateReason[] = [];
  if (s.phoneMatch) out.push({ code: 'same_phone', hoursApart: s.hoursApart });
  if (s.place.reason && s.place.strength > 0) out.push(s.place.reason);
  // Shown from the floor up: "内容相似 4%" next to a phone match reads as a claim; its absence says enough.
  if (s.similarity >= CONTENT_FLOOR) out.push({ code: 'similar_content', percent: Math.round(s.similarity * 100) });
  if (probe.category !== undefined && probe.category === candidate.category) out.push({ code: 'same_category', category: candidate.category });
  return out;
}

/** Best first; among equals, an open order first (the one to merge into), then the newest. */
function byRank(a: DuplicateSuggestion, b: DuplicateSuggestion): number {
  return (
    b.score - a.score ||
    Number(isOpenStatus(b.status)) - Number(isOpenStatus(a.status)) ||
    b.receivedAt - a.receivedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Enquiries and praise concern the caller: only the caller's number makes two of them one matter. */
function isPersonal(type: OrderType | undefined): boolean {
  return type === 'enquiry' || type === 'praise';
}

/** The number's digits without +86 or a trunk 0 on a mobile; null if unknown or masked. */
export function phoneDigits(phone: string | null | undefined): string | null {
  if (!phone || phone.includes('*')) return null;
  let digits = phone.replace(/[^0-9]/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return digits.length >= 7 ? digits : null;
}

function positionOf(location: Location | null | undefined): Position | null {
  if (!location || location.kind !== 'fix') return null;
  return location.position.accuracy <= MAX_ACCURACY_METRES ? location.position : null;
}

/** Equirectangular distance: within a street (a few km) it is off by far less than a position fix. */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}
