import { describe, expect, it } from 'vitest';
import { validateEntry } from '#shared/knowledge/entry.ts';
import { demoKnowledge } from '#demo/knowledge/generate.ts';

const NOW = Date.UTC(2026, 11, 1);

describe('demo knowledge base', () => {
  it('is 300 valid entries over the ten categories, the same on every run', () => {
    const entries = demoKnowledge({ now: NOW });
    expect(entries).toHaveLength(300);
    expect(new Set(entries.map((e) => e.id)).size).toBe(300);
    for (const e of entries) expect(validateEntry(e)).toMatchObject({ ok: true });
    expect(new Set(entries.map((e) => e.category)).size).toBe(10);
    expect(demoKnowledge({ now: NOW })).toEqual(entries);
    expect(demoKnowledge({ now: NOW, seed: 2 })).not.toEqual(entries);
  });

  it('marks every policy document as demo', () => {
    for (const e of demoKnowledge({ now: NOW })) for (const b of e.basis) expect(b.title + b.number).toMatch(/^〔示例〕.*〔示例〕/);
  });
});
