/**
 * A knowledge-base entry (知识库条目): one policy answer, as the centre's
 * admins maintain it and as a worker or clerk quotes it into 公开答复.
 *
 * Entries are versioned: every change raises `version` and `updated`; a
 * withdrawn entry keeps its id and a higher version with `withdrawn: true`,
 * so a device that syncs "everything since version N" learns to drop it.
 * The area is a unit id of the organisation (the city, a district or a
 * street); an entry applies to a user whose unit is that unit or lies below it.
 */
import * as v from 'valibot';
import { UnitIdSchema } from '../org/units.ts';
import { TimestampSchema, requiredText, text } from '../order/values.ts';
import { validate, type Validated } from '../validation/result.ts';

/** The categories the demo orders use; admins may use others, so any short text is accepted. */
export const KNOWLEDGE_CATEGORIES = [
  '住房',
  '物业',
  '教育',
  '社保',
  '医保',
  '户籍',
  '城市管理',
  '环境',
  '交通',
  '市场监管',
] as const;

export const KnowledgeIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", at most 64'),
);

/** 政策依据: the document's title and its number (文号), e.g. 〔示例〕示政办〔2024〕12号. */
export const PolicyBasisSchema = v.object({
  title: requiredText(200),
  number: text(80),
});
export type PolicyBasis = v.InferOutput<typeof PolicyBasisSchema>;

/** 责任部门 and how the public reaches it. */
export const DepartmentSchema = v.object({
  name: requiredText(80),
  contact: text(120),
});
export type Department = v.InferOutput<typeof DepartmentSchema>;

export const KnowledgeEntrySchema = v.pipe(
  v.object({
    id: KnowledgeIdSchema,
    title: requiredText(120),
    /** The question as people ask it: several phrasings, at least one. */
    questions: v.pipe(v.array(requiredText(200)), v.minLength(1, 'at least one phrasing'), v.maxLength(30, 'at most 30 phrasings')),
    answer: requiredText(5000, 10),
    basis: v.pipe(v.array(PolicyBasisSchema), v.maxLength(10, 'at most 10 documents')),
    department: DepartmentSchema,
    category: requiredText(20),
    tags: v.pipe(v.array(requiredText(20)), v.maxLength(20, 'at most 20 tags')),
    /** A unit id: the city, a district or a street. */
    area: UnitIdSchema,
    validFrom: v.nullable(TimestampSchema),
    validUntil: v.nullable(TimestampSchema),
    /** Where the answer came from (the department's reply, a published guide…). */
    source: text(200),
    updated: TimestampSchema,
    version: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'at least 1')),
    withdrawn: v.boolean(),
  }),
  v.check(
    (e) => e.validFrom === null || e.validUntil === null || e.validFrom <= e.validUntil,
    'validUntil must not be before validFrom',
  ),
);
export type KnowledgeEntry = v.InferOutput<typeof KnowledgeEntrySchema>;

export const validateEntry = (input: unknown): Validated<KnowledgeEntry> => validate(KnowledgeEntrySchema, input);

/** True when the entry is in force at `now` (not withdrawn, inside its validity). */
export function isInForce(entry: KnowledgeEntry, now: number): boolean {
  if (entry.withdrawn) return false;
  if (entry.validFrom !== null && now < entry.validFrom) return false;
  if (entry.validUntil !== null && now > entry.validUntil) return false;
  return true;
}

/**
 * True when the entry applies to a user whose unit has the given chain of
 * ids (the unit and every unit above it, e.g. from org/units.ts ancestorsOf):
 * a city-wide entry's area is the root, so it is in every chain.
 */
export function appliesTo(entry: Pick<KnowledgeEntry, 'area'>, unitChain: ReadonlySet<string>): boolean {
  return unitChain.has(entry.area);
}
