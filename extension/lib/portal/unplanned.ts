/**
 * Required fields the portal rules do not know. A portal adds a required
 * field (回访意见, say) that its adapter has no entry for: every field Lianxin
 * knows reads ✓, yet the form is not complete and the portal will refuse it.
 * After a fill or a check, the forms the planned fields are in are searched
 * for controls the page marks required (required.ts) that are empty and not
 * part of any planned field; each is reported as ✗ by its label, so the clerk
 * fills it by hand (and 标记已回复 stays closed until 重新核对 reads it filled).
 */
import type { RequiredMarker } from '#shared/portal/reasons.ts';
import { isShown, isTag, inputType, plainText } from './dom.ts';
import { labelOf, requiredMarker } from './required.ts';

export interface UnplannedRequired {
  readonly label: string;
  /** How the page marks it required (required.ts). */
  readonly marker: RequiredMarker;
}

/** Controls a person fills in (files are left out: portals upload them at once and the input stays empty). */
const CONTROLS = 'input, select, textarea';
const NOT_FILLED_IN = new Set(['hidden', 'button', 'submit', 'reset', 'image', 'file']);
/** What a person sees as one field: a form item, or a table cell. */
const FIELD = '.el-form-item, .layui-form-item, td';

const fieldOf = (el: Element): Element => el.closest(FIELD) ?? el;

function isEmpty(control: Element, form: Element): boolean {
  if (isTag(control, 'select')) return (control as HTMLSelectElement).value === '';
  if (isTag(control, 'textarea')) return (control as HTMLTextAreaElement).value.trim() === '';
  const input = control as HTMLInputElement;
  const type = inputType(input);
  if (type === 'radio' || type === 'checkbox') {
    const group = input.name ? [...form.querySelectorAll<HTMLInputElement>(`input[name="${input.name.replace(/["\\]/g, '\\$&')}"]`)] : [...fieldOf(input).querySelectorAll<HTMLInputElement>('input')];
    return !group.some((other) => other.checked);
  }
  return input.value.trim() === '';
}

/** The required, empty controls of the forms `planned` (the elements of the plan's fields) are in, that no planned field covers. */
export function unplannedRequired(planned: readonly Element[]): UnplannedRequired[] {
  const forms = new Set(planned.map((el) => el.closest('form')).filter((form): form is HTMLFormElement => form !== null));
  const covered = (control: Element) => planned.some((el) => el.contains(control) || control.contains(el) || fieldOf(el) === fieldOf(control));
  const found: UnplannedRequired[] = [];
  const seen = new Set<Element>();
  for (const form of forms) {
    for (const control of form.querySelectorAll(CONTROLS)) {
      if (isTag(control, 'input') && NOT_FILLED_IN.has(inputType(control))) continue;
      const field = fieldOf(control);
      if (seen.has(field) || !isShown(field) || covered(control)) continue;
      const marker = requiredMarker(control);
      if (marker === null || !isEmpty(control, form)) continue;
      seen.add(field);
      const label = labelOf(control);
      found.push({ label: (label ? plainText(label) : '').replace(/[*＊:：\s]+/g, ' ').trim() || (control.getAttribute('name') ?? '?'), marker });
    }
  }
  return found;
}
