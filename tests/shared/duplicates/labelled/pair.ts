/**
 * A labelled pair for measuring the duplicate detector: an earlier order (a
 * candidate) and a later one (the incoming order), and whether they are the
 * same matter by the rule in docs/DUPLICATES.md ("The labelling rule").
 */
import type { DuplicateCandidate, DuplicateProbe } from '#shared/duplicates/detect.ts';

export const POSITIVE_KINDS = [
  /** Reworded by another caller; the address perhaps written differently. */
  'reworded',
  /** The same caller again within a week, in other words. */
  'same_caller',
  /** A short follow-up: "still not fixed". */
  'follow_up',
  /** A portal import without the caller's number. */
  'no_phone',
  /** The address written loosely (only the road, a landmark); both orders carry a position fix. */
  'located',
  /** An enquiry asked again by the same caller. */
  'enquiry_again',
] as const;

export const NEGATIVE_KINDS = [
  /** Another problem at the same address (sometimes the same caller). */
  'same_address_other_problem',
  /** The same kind of problem at another building, compound, crossing or stretch of road nearby. */
  'same_type_nearby',
  /** The same kind of problem elsewhere in the street. */
  'same_type_far',
  /** The same street, nothing else. */
  'unrelated',
  /** The same enquiry from two callers: each needs their own answer. */
  'enquiry_other_caller',
] as const;

export type PairKind = (typeof POSITIVE_KINDS)[number] | (typeof NEGATIVE_KINDS)[number];

export interface LabelledPair {
  readonly id: string;
  /** `hand`: written while the detector was shaped; `holdout`: written after, measured once (holdout.ts). */
  readonly source: 'generated' | 'hand' | 'holdout';
  readonly kind: PairKind;
  /** The label: the same matter. */
  readonly duplicate: boolean;
  /** The earlier order, as the detector's candidate. */
  readonly first: DuplicateCandidate;
  /** The later order, checked against it. */
  readonly second: DuplicateProbe;
  /** For hand-written pairs: why the label is what it is, when it is not obvious. */
  readonly note?: string;
}
