/** The rules the inbox's last frame is kept by (shared/local/first-frame.ts); the drawing is tests/e2e/pwa/first-frame.e2e.ts's. */
import { describe, expect, it } from 'vitest';
import { FRAME_ATTRIBUTE, frameValidUntil, rowsPrint } from '#shared/local/first-frame.ts';

const NOW = Date.UTC(2026, 11, 7, 10);
const HOUR = 3_600_000;

describe('the inbox frame', () => {
  it('prints the rows by id and change time, whatever their order', () => {
    const rows = [
      { id: 'o-b', updatedAt: 2 },
      { id: 'o-a', updatedAt: 1 },
    ];
    expect(rowsPrint(rows)).toBe('o-a@1 o-b@2');
    expect(rowsPrint([...rows].reverse())).toBe(rowsPrint(rows));
    expect(rowsPrint([{ id: 'o-a', updatedAt: 3 }, rows[0]!])).not.toBe(rowsPrint(rows));
  });

  it('is valid until the first card would change colour or place', () => {
    const working = { status: 'in_progress', deadline: NOW + 30 * HOUR, acceptDueAt: null, closedAt: null } as const;
    const accepting = { status: 'dispatched', deadline: NOW + 72 * HOUR, acceptDueAt: NOW + 2 * HOUR, closedAt: null } as const;
    const closed = { status: 'closed', deadline: NOW - HOUR, acceptDueAt: null, closedAt: NOW - 2 * HOUR } as const;
    // 签收 due in 2 h turns "soon" half an hour before; the order being worked on turns "soon" a day before its deadline.
    expect(frameValidUntil([working, accepting, closed], NOW)).toBe(NOW + 2 * HOUR - 30 * 60_000 + 1);
    expect(frameValidUntil([working], NOW)).toBe(NOW + 6 * HOUR + 1);
    expect(frameValidUntil([closed], NOW)).toBeNull();
    expect(frameValidUntil([], NOW)).toBeNull();
  });

  it('keeps the attributes that style and name, never a handler, a URL, an inline style or an id reference', () => {
    for (const kept of ['class', 'role', 'aria-selected', 'aria-hidden', 'data-v-1a2b3c4d', 'data-order-id', 'placeholder']) expect(FRAME_ATTRIBUTE.test(kept), kept).toBe(true);
    for (const dropped of ['onclick', 'href', 'src', 'srcdoc', 'style', 'id', 'aria-controls', 'aria-labelledby', 'data-test', 'formaction', 'xlink:href']) expect(FRAME_ATTRIBUTE.test(dropped), dropped).toBe(false);
  });
});
