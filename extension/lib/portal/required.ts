/**
 * What the portal itself marks as required, read from the page around a
 * field's element: the `required` / `aria-required` attributes, layui's
 * `lay-verify="required"`, Element's `is-required` form item (its star is
 * drawn by CSS), or a `*` in the field's label (a table cell before it, a
 * `<label for>`, a layui form label). The adapter's `required` overrides it.
 */
import type { RequiredMarker } from '#shared/portal/reasons.ts';
import { isTag } from './dom.ts';

const STAR = /[*＊]/;

/** What marks `el`'s field as required on the page (for the report), or null. */
export function requiredMarker(el: Element): Exclude<RequiredMarker, 'adapter'> | null {
  const controls = [el, ...el.querySelectorAll('input, select, textarea, [role=radiogroup], [role=group]')];
  for (const control of controls) {
    if (isTag(control, 'input') && (control as HTMLInputElement).type === 'hidden') continue;
    if (control.hasAttribute('required')) return 'required';
    if (control.getAttribute('aria-required') === 'true') return 'aria-required';
    if ((control.getAttribute('lay-verify') ?? '').split('|').map((rule) => rule.trim()).includes('required')) return 'lay-verify';
  }
  const elementItem = el.closest('.el-form-item');
  if (elementItem?.classList.contains('is-required')) return 'is-required';
  const label = labelOf(el);
  if (label && STAR.test(label.textContent ?? '')) return 'label-star';
  return null;
}

/** The element that labels `el`'s field, as a person reads the form. */
export function labelOf(el: Element): Element | null {
  const doc = el.ownerDocument;
  const layuiItem = el.closest('.layui-form-item');
  if (layuiItem) return layuiItem.querySelector(':scope > .layui-form-label');
  const elementItem = el.closest('.el-form-item');
  if (elementItem) return elementItem.querySelector('.el-form-item__label');
  // A radio's or checkbox's <label for> names an option (是 / 否), not the field.
  const ids = [el, ...el.querySelectorAll('input, select, textarea')]
    .filter((c) => !(isTag(c, 'input') && ['radio', 'checkbox'].includes((c as HTMLInputElement).type)))
    .map((c) => c.id)
    .filter(Boolean);
  for (const id of ids) {
    const byFor = doc.querySelector(`label[for="${id.replace(/["\\]/g, '\\$&')}"]`);
    if (byFor) return byFor;
  }
  const cell = el.closest('td, th');
  if (cell?.previousElementSibling) return cell.previousElementSibling;
  const definition = el.closest('dd');
  if (definition?.previousElementSibling && isTag(definition.previousElementSibling, 'dt')) return definition.previousElementSibling;
  return el.closest('label');
}
