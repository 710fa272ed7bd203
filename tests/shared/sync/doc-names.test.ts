import { describe, expect, it } from 'vitest';
import { archiveIndexDocName, indexGenerationDocName, isLiveIndexDocName, liveIndexGeneration, parseDocName, streetIndexDocName } from '#shared/sync/doc-names.ts';

describe('index doc generations', () => {
  it('names generation 0 as the base and later ones with a suffix', () => {
    const base = streetIndexDocName('d1-s1');
    expect(indexGenerationDocName(base, 0)).toBe('street:d1-s1');
    expect(indexGenerationDocName(base, 3)).toBe('street:d1-s1:gen:3');
    expect(() => indexGenerationDocName(base, -1)).toThrow();
    expect(() => indexGenerationDocName(base, 1.5)).toThrow();
  });

  it('parses a generation to the same unit as its base, so it is authorised as the base', () => {
    expect(parseDocName('street:d1-s1:gen:3')).toEqual({ kind: 'street', id: 'd1-s1', generation: 3 });
    expect(parseDocName('grid:g1:gen:12')).toEqual({ kind: 'grid', id: 'g1', generation: 12 });
    expect(isLiveIndexDocName('community:c1:gen:1')).toBe(true);
    expect(liveIndexGeneration('street:d1-s1:gen:3')).toEqual({ base: 'street:d1-s1', generation: 3 });
    expect(liveIndexGeneration('street:d1-s1')).toEqual({ base: 'street:d1-s1', generation: 0 });
    expect(liveIndexGeneration('street:d1-s1:archive:2026-01')).toBeNull();
    expect(liveIndexGeneration('order:o1')).toBeNull();
  });

  it('refuses malformed generations: one generation has one name', () => {
    for (const bad of ['street:s1:gen:0', 'street:s1:gen:01', 'street:s1:gen:', 'street:s1:gen:-1', 'order:o1:gen:1', 'street:s1:gen:1:gen:2', 'street:s1:gen:1:archive:2026-01']) {
      expect(parseDocName(bad), bad).toBeNull();
    }
  });

  it('keeps archives named from the base', () => {
    expect(parseDocName(archiveIndexDocName('street:s1', '2026-01'))).toEqual({ kind: 'street', id: 's1', archive: '2026-01' });
  });
});
