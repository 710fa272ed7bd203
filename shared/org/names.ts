/**
 * Names for the ids events carry: units (dispatch targets, the actor's unit)
 * and people (actors), from the organisation the device last learnt
 * (`GET /api/org`). Ids it does not know — another branch, a unit added since —
 * show as themselves.
 *
 * Exports: `OrgDirectory`, `OrgNames`, `orgNames`.
 */
import type { UnitPhrases } from '../order/quick-phrases.ts';
import type { User } from './roles.ts';
import type { Unit } from './units.ts';

/** What the device knows of the organisation: the user's branch and the people in it. */
export interface OrgDirectory {
  readonly units: readonly Unit[];
  readonly people: readonly User[];
  /** 常用语 set by units of the branch, by unit id (absent from servers before them). */
  readonly phrases?: UnitPhrases;
}

export interface OrgNames {
  /** The unit's name, or the id when unknown. */
  unit(id: string): string;
  /** The person's name, or the id when unknown. */
  person(id: string): string;
}

export function orgNames(directory: OrgDirectory | null): OrgNames {
  const units = new Map((directory?.units ?? []).map((unit) => [unit.id, unit.name]));
  const people = new Map((directory?.people ?? []).map((person) => [person.id, person.name]));
  return {
    unit: (id) => units.get(id) ?? id,
    person: (id) => people.get(id) ?? id,
  };
}
