/** Names for the ids events carry: known units and people by name, anything else as its id. */
import { describe, expect, it } from 'vitest';
import { orgNames } from '#shared/org/names.ts';

const directory = {
  units: [
    { id: 'city', kind: 'city', name: '示范市', parentId: null },
    { id: 'd1-s1-c1', kind: 'community', name: '幸福社区', parentId: 'd1-s1' },
    { id: 'd1-s1-c1-g1', kind: 'grid', name: '幸福社区第一网格', parentId: 'd1-s1-c1' },
  ],
  people: [{ id: 'grid1', name: '王伟', role: 'grid_worker', unitId: 'd1-s1-c1-g1' }],
} as const;

describe('orgNames', () => {
  it('names known units and people', () => {
    const names = orgNames({ units: [...directory.units], people: [...directory.people] });
    expect(names.unit('d1-s1-c1-g1')).toBe('幸福社区第一网格');
    expect(names.unit('d1-s1-c1')).toBe('幸福社区');
    expect(names.person('grid1')).toBe('王伟');
  });

  it('falls back to the id for what it does not know, and when nothing was fetched yet', () => {
    const names = orgNames({ units: [...directory.units], people: [...directory.people] });
    expect(names.unit('d9-s9')).toBe('d9-s9');
    expect(names.person('clerk7')).toBe('clerk7');
    expect(orgNames(null).unit('d1-s1-c1-g1')).toBe('d1-s1-c1-g1');
    expect(orgNames(null).person('grid1')).toBe('grid1');
  });

  it('does not mistake a person id for a unit id or the other way round', () => {
    const names = orgNames({ units: [{ id: 'grid1', kind: 'city', name: '同名单位', parentId: null }], people: [...directory.people] });
    expect(names.person('grid1')).toBe('王伟');
    expect(names.unit('grid1')).toBe('同名单位');
    expect(names.unit('d1-s1-c1-g1')).toBe('d1-s1-c1-g1');
  });
});
