/**
 * A gzip body assembled from parts compressed apart (server/http/gzip-parts.ts): whatever the parts,
 * any gzip reader reads back exactly their texts in order.
 */
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflatePart, gzipParts, joinParts } from '#server/http/gzip-parts.ts';

describe('gzipParts', () => {
  it('reads back as the parts’ texts in order, stored and compressed parts mixed, any text, any size', async () => {
    const part = fc.oneof(
      fc.record({ kept: fc.constant(true), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.string({ unit: 'binary', minLength: 70_000, maxLength: 140_000 })) }),
      fc.record({ kept: fc.constant(false), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ minLength: 66_000, maxLength: 70_000 })) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 8 }), async (spec) => {
        const parts = await Promise.all(spec.map(({ kept, text }) => (kept ? deflatePart(text) : text)));
        // As UTF-8 bytes, as they are sent: a lone surrogate is sent as U+FFFD whichever way.
        const text = Buffer.from(spec.map(({ text: t }) => t).join('')).toString();
        expect(await joinParts(parts)).toBe(text);
        expect(gunzipSync(await gzipParts(parts)).toString()).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('compresses: a kept part as it was compressed, the strings between kept parts together', async () => {
    const state = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i % 97) * (i % 13))).toString('base64');
    const kept = await deflatePart(`"a":{"update":"${state}"}`);
    const small = Array.from({ length: 200 }, (_, i) => `,"order:${i}":{"update":"${state.slice(i * 7, i * 7 + 3000)}"}`);
    const body = await gzipParts(['{"docs":{', kept, ...small, '},"serverTime":1}']);
    expect(body.includes(kept.deflated)).toBe(true);
    // The small entries share most of their bytes: together they compress to a fraction of one of them each.
    expect(body.length - kept.deflated.length).toBeLessThan(small.length * 3000 / 20);
  });
});
