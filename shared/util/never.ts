/**
 * The default branch of a switch that must handle every member of a union.
 * Typed `never`, so a member without a case is a compile error at the call;
 * it throws only if unvalidated data got past the types.
 */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
