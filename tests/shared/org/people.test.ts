import { describe, expect, it } from 'vitest';
import { searchPeople } from '#shared/org/people.ts';

const units = [
  { id: 'd1-s1', name: '凯旋路街道' },
  { id: 'd1-s1-c1-g1', name: '株洲路社区第一网格' },
];
const people = [
  { id: 'clerk1', name: '刘芳', unitId: 'd1-s1' },
  { id: 'grid1', name: '王伟', unitId: 'd1-s1-c1-g1' },
  { id: 'Grid2', name: '李强', unitId: 'd1-s1-c1-g1' },
];

describe('searchPeople', () => {
  it('finds by account, name or unit name, every word, any case or width', () => {
    expect(searchPeople(people, units, '王伟').map((p) => p.id)).toEqual(['grid1']);
    expect(searchPeople(people, units, 'ＧＲＩＤ').map((p) => p.id)).toEqual(['grid1', 'Grid2']);
    expect(searchPeople(people, units, '株洲路 李').map((p) => p.id)).toEqual(['Grid2']);
    expect(searchPeople(people, units, '凯旋路').map((p) => p.id)).toEqual(['clerk1']);
    expect(searchPeople(people, units, '  ')).toHaveLength(3);
    expect(searchPeople(people, units, '张')).toEqual([]);
  });
});
