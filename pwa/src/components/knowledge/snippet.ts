import type { Range } from '../../knowledge/protocol.ts';

/**
 * A window of `size` characters of the answer around its first highlight, with
 * the ranges shifted into it, so a result shows why it matched.
 */
export function snippetOf(text: string, ranges: readonly Range[], size = 80): { text: string; ranges: Range[] } {
  const first = ranges[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - 20, text.length - size));
  const end = Math.min(text.length, start + size);
  const shifted = ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]): Range => [s - start, e - start]);
  return { text: `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`, ranges: start > 0 ? shifted.map(([s, e]): Range => [s + 1, e + 1]) : shifted };
}
