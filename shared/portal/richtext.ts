/**
 * Order text is data, never markup: a reply goes into a rich-text editor as
 * escaped paragraphs, and is compared with what the editor holds as plain text.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One <p> per line of `text`, escaped. */
export function textToParagraphHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `<p>${line ? escapeHtml(line) : '<br>'}</p>`)
    .join('');
}

/** For read-back: the same text whatever the editor did with spaces and line breaks. */
export function sameText(a: string, b: string): boolean {
  const squash = (s: string) => s.replace(/[\s\u00a0\u200b]+/g, '');
  return squash(a) === squash(b);
}
