/**
 * Precision and recall of the duplicate detector on the labelled pairs: each
 * pair's later order is checked against an index holding only its earlier
 * one, at the later order's receipt time.
 */
import { LIKELY_SCORE, suggestDuplicates, type DuplicateReason } from '#shared/duplicates/detect.ts';
import { generatedPairs } from './generated.ts';
import { HAND_PAIRS } from './hand.ts';
import { HOLDOUT_PAIRS } from './holdout.ts';
import type { LabelledPair } from './pair.ts';

export interface ScoredPair {
  readonly pair: LabelledPair;
  /** 0 when the detector did not suggest the earlier order at all. */
  readonly score: number;
  readonly reasons: readonly DuplicateReason[];
}

export function labelledPairs(): LabelledPair[] {
  return [...generatedPairs(), ...HAND_PAIRS, ...HOLDOUT_PAIRS];
}

export function scorePairs(pairs: readonly LabelledPair[]): ScoredPair[] {
  return pairs.map((pair) => {
    const [found] = suggestDuplicates(pair.second, [pair.first], pair.second.receivedAt);
    return { pair, score: found?.score ?? 0, reasons: found?.reasons ?? [] };
  });
}

export interface Confusion {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  /** 1 when nothing was predicted (no false positive either). */
  readonly precision: number;
  readonly recall: number;
}

export function confusion(scored: readonly ScoredPair[], threshold = LIKELY_SCORE): Confusion {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { pair, score } of scored) {
    const predicted = score > 0 && score >= threshold;
    if (predicted && pair.duplicate) tp++;
    else if (predicted) fp++;
    else if (pair.duplicate) fn++;
    else tn++;
  }
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}
