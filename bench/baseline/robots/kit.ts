/**
 * The portal-fill baseline (bench case 6): a scripted robot that fills a demo
 * portal's reply form with Playwright's own actions on selectors written for
 * that form — what a person automating one portal would write, with no adapter
 * lookup. Each portal's robot is a table from the plan's field keys to steps
 * built from the widget kits below; the plan only supplies the values (the
 * same ones the engine writes). Every step returns its read-back, run after
 * all fields are written, checked the way the engine checks (same text rules).
 */
import type { Locator, Page } from 'playwright-core';
import type { PlannedField, PlannedPhoto, PlannedValue } from '#shared/portal/reply-plan.ts';
import { sameText } from '#shared/portal/richtext.ts';
import { matchOption, normalizeText } from '#shared/portal/vocabulary.ts';

/** A field's read-back: null when the page shows what was written, else why not. */
export type ReadBack = () => Promise<string | null>;

/** Writes one planned value, returns its read-back. */
export type Step = (value: PlannedValue, files: PhotoFiles) => Promise<ReadBack>;

/** The robot for one portal: its steps by the plan's field key, once the page is ready. */
export type Robot = (page: Page) => Readonly<Record<string, Step>>;

/** Photo bytes as Playwright's setInputFiles takes them. */
export type PhotoFiles = (photos: readonly PlannedPhoto[]) => { name: string; mimeType: string; buffer: Buffer }[];

const UPLOAD_TIMEOUT_MS = 15_000;
/** Long enough for a dropdown on a loaded machine, short of Playwright's 30 s when an option is missing. */
const ACTION_TIMEOUT_MS = 10_000;

/** Fills every planned field through the robot's steps, then reads each back; throws on the first field that did not take. */
export async function runRobot(page: Page, robot: Robot, plan: readonly PlannedField[], photos: ReadonlyMap<string, Buffer>): Promise<void> {
  const steps = robot(page);
  const files: PhotoFiles = (list) =>
    list.map((p) => {
      const buffer = photos.get(p.sha256);
      if (!buffer) throw new Error(`robot: no bytes for photo ${p.sha256.slice(0, 8)}`);
      return { name: p.name, mimeType: p.mime, buffer };
    });
  const readBacks: [string, ReadBack][] = [];
  for (const { field, value } of plan) {
    if (value.type === 'skip') continue;
    const step = steps[field.key];
    if (!step) throw new Error(`robot: no step for ${field.key} (${field.label})`);
    readBacks.push([field.label, await step(value, files)]);
  }
  for (const [label, readBack] of readBacks) {
    const wrong = await readBack();
    if (wrong !== null) throw new Error(`robot: ${label} did not read back: ${wrong}`);
  }
}

function textOf(value: PlannedValue): string {
  if (value.type === 'text' || value.type === 'date') return value.text;
  throw new Error(`robot: a ${value.type} value where text was expected`);
}

function acceptOf(value: PlannedValue): readonly string[] {
  if (value.type === 'choice') return value.accept;
  return [textOf(value)];
}

function photosOf(value: PlannedValue): readonly PlannedPhoto[] {
  if (value.type === 'files') return value.photos;
  throw new Error(`robot: a ${value.type} value where photos were expected`);
}

const shows = (actual: string, expected: string): string | null => (actual === expected ? null : `shows “${actual}”, expected “${expected}”`);

/** The option showing one of the accepted words (exactly; the groups here never hold two of them); waits for a dropdown to open. */
function option(options: Locator, accept: readonly string[]): Locator {
  return options.filter({ hasText: exactly(...accept) }).first();
}

const matches = (actual: string, accept: readonly string[]): boolean => accept.some((a) => normalizeText(a) === normalizeText(actual));

/** A text input or textarea; a date picker's input takes its display format, and Enter where the picker wants it. */
export function typed(input: Locator, options: { enter?: boolean } = {}): Step {
  return async (value) => {
    const text = textOf(value);
    await input.fill(text);
    if (options.enter) await input.press('Enter');
    return async () => {
      const actual = await input.inputValue();
      return value.type === 'date' ? shows(normalizeText(actual), normalizeText(text)) : shows(actual, text);
    };
  };
}

/** A group of options to click (radio buttons, layui's drawn radios); `checked` matches the chosen one, read by `read`. */
export function clicked(options: Locator, checked: Locator, read: (checked: Locator) => Promise<string[]> = (l) => l.allInnerTexts()): Step {
  return async (value) => {
    const accept = acceptOf(value);
    await option(options, accept).click({ timeout: ACTION_TIMEOUT_MS });
    return async () => {
      const [actual] = await read(checked);
      if (actual === undefined) return `nothing chosen, expected “${accept[0]}”`;
      return matches(actual, accept) ? null : shows(actual, accept[0] ?? '');
    };
  };
}

/** A drawn dropdown: click it open, click the option; `shown` reads what it then shows (every text must match). */
export function dropdown(trigger: Locator, items: Locator, shown: () => Promise<readonly string[]>): Step {
  return async (value) => {
    const accept = acceptOf(value);
    await trigger.click();
    await option(items, accept).click({ timeout: ACTION_TIMEOUT_MS });
    return async () => {
      const wrong = (await shown()).find((s) => !matches(s, accept));
      return wrong === undefined ? null : shows(wrong, accept[0] ?? '');
    };
  };
}

export const selectedText = (select: Locator): Promise<string> => select.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.text.trim() ?? '');

/** A native <select>. */
export function selected(select: Locator): Step {
  return async (value) => {
    const accept = acceptOf(value);
    const texts = await select.locator('option').allTextContents();
    const index = matchOption(texts, accept);
    if (index < 0) throw new Error(`robot: none of ${accept.join('/')} among ${texts.join('/')}`);
    await select.selectOption({ index });
    return async () => shows(await selectedText(select), texts[index]!.trim());
  };
}

/** A lone checkbox that says yes by being ticked: click `box` when it is not as it should be. */
export function ticked(box: Locator, input: Locator): Step {
  return async (value) => {
    const want = value.type === 'choice' && value.value === 'yes';
    if ((await input.isChecked()) !== want) await box.click();
    return async () => ((await input.isChecked()) === want ? null : `checkbox should be ${want ? 'ticked' : 'unticked'}`);
  };
}

/** A rich-text editor's editable element (a contenteditable div, or the body of the editor's iframe). */
export function edited(editable: Locator): Step {
  return async (value) => {
    const text = textOf(value);
    await editable.fill(text);
    return async () => {
      const actual = await editable.innerText();
      return sameText(actual, text) ? null : shows(actual, text);
    };
  };
}

/**
 * A file input that uploads at once; `listed` matches the items the portal
 * lists as uploaded. `oneAtATime` for an input without `multiple`: each file
 * after the portal listed the one before.
 */
export function uploaded(input: Locator, listed: Locator, options: { oneAtATime?: boolean } = {}): Step {
  const listedAs = (name: string) => listed.filter({ hasText: name }).first();
  return async (value, files) => {
    const photos = files(photosOf(value));
    if (options.oneAtATime) {
      for (const [i, photo] of photos.entries()) {
        if (i > 0) await listedAs(photos[i - 1]!.name).waitFor({ timeout: UPLOAD_TIMEOUT_MS });
        await input.setInputFiles(photo);
      }
    } else {
      await input.setInputFiles(photos);
    }
    return async () => {
      for (const { name } of photos) {
        const ok = await listedAs(name)
          .waitFor({ timeout: UPLOAD_TIMEOUT_MS })
          .then(() => true)
          .catch(() => false);
        if (!ok) return `the portal did not list ${name} as uploaded`;
      }
      return null;
    };
  };
}

/** A regular expression matching exactly one of `texts`, give or take white space around it. */
export function exactly(...texts: string[]): RegExp {
  return new RegExp(`^\\s*(?:${texts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\s*$`);
}

/** An Element Plus / Element UI form item by its label, inside the form `root`. */
export function formItem(page: Page, root: string): (label: string) => Locator {
  return (label) => page.locator(`${root} .el-form-item`).filter({ has: page.locator('.el-form-item__label', { hasText: exactly(label) }) });
}
