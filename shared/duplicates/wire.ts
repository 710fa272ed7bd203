/**
 * Duplicate suggestions as the server sends them (the intake's answer,
 * GET /api/orders/:id/duplicates): validated on the client like every reply.
 */
import * as v from 'valibot';
import { STATUSES } from '../order/status.ts';
import type { DuplicateSuggestion } from './detect.ts';

const count = v.pipe(v.number(), v.minValue(0));

const ReasonSchema = v.variant('code', [
  v.object({ code: v.literal('same_address') }),
  v.object({ code: v.literal('near_address'), basis: v.picklist(['door', 'road', 'distance']), metres: v.nullable(count) }),
  v.object({ code: v.literal('similar_content'), percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)) }),
  v.object({ code: v.literal('same_phone'), hoursApart: count }),
  v.object({ code: v.literal('same_category'), category: v.pipe(v.string(), v.maxLength(50)) }),
]);

export const DuplicateSuggestionSchema = v.object({
  id: v.string(),
  orderNo: v.string(),
  status: v.picklist(STATUSES),
  receivedAt: v.number(),
  score: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  likely: v.boolean(),
  reasons: v.array(ReasonSchema),
});

// The wire type is the detector's own: a field the detector adds or changes is a compile error here.
type WireSuggestion = v.InferOutput<typeof DuplicateSuggestionSchema>;
export const wireMatchesDetector: (s: WireSuggestion) => DuplicateSuggestion = (s) => s;
