import * as v from 'valibot';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `payload.reason`; empty for the whole value. */
  readonly field: string;
  readonly message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Validate untrusted input against a schema. Never throws: every problem comes
 * back as a field error, so callers can show it or send it to a client.
 */
export function validate<const S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, errors: result.issues.map(toFieldError) };
}

function toFieldError(issue: v.BaseIssue<unknown>): FieldError {
  const field = v.getDotPath(issue) ?? '';
  return { field, message: describe(issue) };
}

function describe(issue: v.BaseIssue<unknown>): string {
  // valibot's default messages say "Invalid type: Expected string but received 3";
  // custom messages in our schemas are short phrases. Both read well after the field.
  return issue.message;
}

/** One line per error, `field: message`, for logs and HTTP responses. */
export function formatErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}
