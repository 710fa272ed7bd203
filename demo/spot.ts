/** Where in a grid a case happened, in the words a citizen would use. */
import type { GridPlace } from './org.ts';
import type { Rng } from './random.ts';

export interface Spot {
  readonly district: string;
  readonly street: string;
  readonly community: string;
  readonly road: string;
  /** Another road of the street, for crossings. */
  readonly crossRoad: string;
  readonly compound: string;
  /** 门牌号 on the road. */
  readonly number: number;
  /** 号楼 and 单元 in the compound. */
  readonly building: number;
  readonly unit: number;
}

/** How a case's address is written: at a flat, a compound gate, a road, a crossing. */
export type Where = 'building' | 'compound' | 'road' | 'crossing';

export function spotIn(place: GridPlace, rng: Rng): Spot {
  const road = rng.pick(place.roads);
  const others = place.roads.filter((r) => r !== road);
  return {
    district: place.district.name,
    street: place.street.name,
    community: place.community.name,
    road,
    crossRoad: others.length > 0 ? rng.pick(others) : road,
    compound: rng.pick(place.compounds),
    number: rng.int(1, 298),
    building: rng.int(1, 32),
    unit: rng.int(1, 6),
  };
}

/** 凯旋路18号阳光家园5号楼2单元 */
export const flat = (s: Spot): string => `${s.compound}${s.building}号楼${s.unit}单元`;

export function addressOf(s: Spot, where: Where): string {
  switch (where) {
    case 'building':
      return `${s.district}${s.road}${s.number}号${flat(s)}`;
    case 'compound':
      return `${s.district}${s.road}${s.number}号${s.compound}`;
    case 'road':
      return `${s.district}${s.road}${s.number}号附近`;
    case 'crossing':
      return `${s.district}${s.road}与${s.crossRoad}交叉口`;
  }
}
