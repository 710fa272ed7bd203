/**
 * Phone numbers inside free text, on their own (no schema): the search terms
 * (`text-terms.ts`, which the PWA's first screen loads for the inbox's search)
 * remove them, the summary (`summary.ts`) masks them.
 */

// Mainland mobiles (1[3-9] + 9 digits) and landlines with an area code, not
// inside a longer run of digits, so 18-digit order numbers are left alone.
export const PHONE_IN_TEXT = /(?<![0-9])(?:1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8})(?![0-9])/g;

/** For search text: even a masked number's visible digits would let a search find a citizen by number. */
export function removePhoneNumbers(value: string): string {
  return value.replace(PHONE_IN_TEXT, ' ');
}
