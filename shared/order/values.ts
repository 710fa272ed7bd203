/** Small value schemas shared by intake and events. */
import * as v from 'valibot';

export const TimestampSchema = v.pipe(
  v.number('must be a time in ms since 1970'),
  v.integer('must be a whole number of ms'),
  v.minValue(946684800000, 'must be after 2000-01-01'),
  v.maxValue(32503680000000, 'must be before the year 3000'),
);

export const Sha256Schema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'));

export const PositionSchema = v.object({
  lat: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
  lng: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
  /** Radius in metres within which the true position lies (68%). */
  accuracy: v.pipe(v.number(), v.minValue(0, 'must not be negative'), v.maxValue(100000)),
});
export type Position = v.InferOutput<typeof PositionSchema>;

/** A position fix, or an explicit statement that there was none and why. */
export const LocationSchema = v.variant('kind', [
  v.object({ kind: v.literal('fix'), position: PositionSchema }),
  v.object({
    kind: v.literal('none'),
    reason: v.picklist(['denied', 'unavailable', 'timeout', 'indoors', 'other']),
  }),
]);
export type Location = v.InferOutput<typeof LocationSchema>;

/* @__NO_SIDE_EFFECTS__ */
export const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, `at most ${max} characters`));
/* @__NO_SIDE_EFFECTS__ */
export const requiredText = (max: number, min = 1) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(min, min === 1 ? 'must not be empty' : `at least ${min} characters`),
    v.maxLength(max, `at most ${max} characters`),
  );

export const PhoneSchema = v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9][0-9 -]{2,19}$/, 'is not a phone number'));

/** 138****5678; short numbers keep only the last two digits visible. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 4) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return '*'.repeat(digits.length);
}
