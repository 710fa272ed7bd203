import { describe, expect, it } from 'vitest';
import { createKnowledgeService } from '#shared/knowledge/service.ts';
import { demoKnowledge } from '#demo/knowledge/generate.ts';

const entries = demoKnowledge({ now: Date.UTC(2026, 11, 1) });

describe('knowledge service (the worker’s core)', () => {
  it('loads, updates, searches and saves through plain messages', () => {
    const service = createKnowledgeService();
    expect(service.handle({ seq: 1, type: 'put', entries })).toEqual({ seq: 1, type: 'done', size: 300 });
    const saved = service.handle({ seq: 2, type: 'save' });
    if (saved.type !== 'saved') throw new Error('expected the index');
    const device = createKnowledgeService();
    device.handle({ seq: 3, type: 'load', index: structuredClone(saved.index) });
    const found = device.handle({ seq: 4, type: 'search', query: '升降梯补贴', limit: 3 });
    expect(found.type === 'hits' && found.hits.length).toBe(3);
    device.handle({ seq: 5, type: 'synonyms', groups: [['电梯', '升降梯']] });
    const withSynonym = device.handle({ seq: 6, type: 'search', query: '升降梯补贴', limit: 1 });
    expect(withSynonym.type === 'hits' && withSynonym.hits[0]?.id).toBe('kb-wy-jzdt-fee');
    device.handle({ seq: 7, type: 'remove', ids: ['kb-wy-jzdt-fee'] });
    const after = device.handle({ seq: 8, type: 'search', query: '升降梯补贴', limit: 1 });
    expect(after.type === 'hits' && after.hits[0]?.id).not.toBe('kb-wy-jzdt-fee');
  });

  it('saves and loads the index as bytes, as a device stores it', () => {
    const service = createKnowledgeService();
    service.handle({ seq: 1, type: 'put', entries });
    const saved = service.handle({ seq: 2, type: 'saveBytes' });
    if (saved.type !== 'savedBytes') throw new Error('expected the bytes');
    const device = createKnowledgeService();
    expect(device.handle({ seq: 3, type: 'loadBytes', bytes: structuredClone(saved.bytes) })).toEqual({ seq: 3, type: 'done', size: 300 });
    const query = { type: 'search', query: '公租房怎么申请', limit: 5 } as const;
    expect(device.handle({ seq: 4, ...query })).toEqual(service.handle({ seq: 4, ...query }));
  });

  it('answers a bad message with an error, not a throw', () => {
    const service = createKnowledgeService();
    // A saved index of an unknown format, as an old or newer app might send.
    const reply = service.handle({ seq: 9, type: 'load', index: { format: 3 } as never });
    expect(reply).toEqual({ seq: 9, type: 'error', message: 'unknown index format 3' });
  });
});
