/**
 * The inbox's last frame, kept to be drawn again at the next start before the app's code has run
 * (bench/README.md, "Cold start, part 14"). The PWA records what Vue drew into `#app` as data — elements, a few
 * attributes, inline styles and text, never HTML — in the session table (`FIRST_FRAME_KEY`), so sign-out and a
 * wipe forget it with the session. index.html's early read (pwa/scripts/early-read.ts) reads it with the session
 * and the first tab's rows and rebuilds it, with `createElement` and `textContent` only, when it is still what Vue
 * would draw: the same user, the same build, the same language choice, the same tab's rows unchanged since
 * (`rowsPrint`), and no card's colour or place due to change (`validUntil`). Vue's first frame then replaces it.
 * Nothing here runs on its own: these are the shapes and the rules both sides keep.
 */
import { nextTimeLeftChange, type Timing } from '../order/time-left.ts';
import type { SessionKey } from './db.ts';

/** The session table's key of the frame. Not a session key (`SESSION_KEYS`): the data layer never restores it. */
export const FIRST_FRAME_KEY = 'firstFrame' satisfies SessionKey;

/** The element the early read draws the frame in, beside `#app` (which Vue empties when it mounts). */
export const FIRST_FRAME_ROOT_ID = 'lianxin-first-frame';

/** Marks an element whose text speaks of the present (a countdown): recorded blank, so no old number is shown. */
export const CLOCK_ATTRIBUTE = 'data-clock';

/** An element as `[tag, [name, value, …], [property, value, …], …children]`; SVG tags are `svg:<name>`. */
export type FrameElement = readonly [tag: string, attributes: readonly string[], styles: readonly string[], ...children: FrameNode[]];
/** A text node is its text. */
export type FrameNode = string | FrameElement;

export interface FirstFrame {
  readonly userId: string;
  /** The build that drew it (its entry file): another build's classes and scoped styles differ. */
  readonly build: string;
  /** The stored language choice when it was drawn (null: none stored). */
  readonly localeChoice: string | null;
  /** The inbox tab drawn. */
  readonly tab: string;
  /** `rowsPrint` of the tab's rows drawn from. */
  readonly rows: string;
  /** Device time from which a card would be drawn in another colour or place (null: never). */
  readonly validUntil: number | null;
  /** `#app`'s children. */
  readonly tree: readonly FrameNode[];
}

/**
 * Attributes kept: what styles and names the structure, nothing that acts (no handler, no URL, no `style`
 * attribute: styles are kept as properties and set through the CSSOM, which the page's CSP allows). The early
 * read's script checks names against the same pattern (it is written into it at build).
 */
export const FRAME_ATTRIBUTE = /^(?:class|role|type|placeholder|aria-(?!controls|labelledby|describedby|owns|activedescendant|errormessage|details|flowto)[a-z]+|data-v-[0-9a-f]{8}|data-order-id)$/;
/** Inline style properties kept (Vant's and the list's positions and sizes). */
export const FRAME_STYLE = /^-{0,2}[a-z][a-z-]*$/;
/** Elements never drawn, whatever their namespace: they would run, load or restyle something. */
export const FRAME_REFUSED_TAGS: readonly string[] = ['script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'link', 'meta', 'base', 'template', 'noscript', 'foreignobject'];

/** The rows a frame was drawn from, in a form index.html's script computes the same way (ids and change times, sorted). */
export function rowsPrint(rows: readonly { readonly id: string; readonly updatedAt: number }[]): string {
  return rows
    .map((row) => `${row.id}@${row.updatedAt}`)
    .sort()
    .join(' ');
}

/** The first instant at which any of `rows` would be drawn in another colour or place (`nextTimeLeftChange`); null: never. */
export function frameValidUntil(rows: readonly Timing[], now: number): number | null {
  let until: number | null = null;
  for (const row of rows) {
    const next = nextTimeLeftChange(row, now);
    if (next !== null && (until === null || next < until)) until = next;
  }
  return until;
}
