/**
 * Finding people in the organisation (the admin page's search): by account,
 * name, or the name or id of their unit. Case and full-width forms do not
 * matter; every word of the query must match.
 */
import type { User } from './roles.ts';
import type { Unit } from './units.ts';

const normalise = (value: string): string => value.normalize('NFKC').toLowerCase();

/** People matching `query`, in the order given; all of them for an empty query. */
export function searchPeople<P extends Pick<User, 'id' | 'name' | 'unitId'>>(people: readonly P[], units: readonly Pick<Unit, 'id' | 'name'>[], query: string): P[] {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...people];
  const unitNames = new Map(units.map((unit) => [unit.id, unit.name]));
  return people.filter((person) => {
    const text = normalise([person.id, person.name, person.unitId, unitNames.get(person.unitId) ?? ''].join(' '));
    return words.every((word) => text.includes(word));
  });
}
