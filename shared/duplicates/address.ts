/**
 * Addresses as citizens and hotline operators write them, reduced to what
 * says where a problem is: the crossing, the door number on a road, the
 * compound, the building, unit and room, the side or gate. Two reports of one
 * matter rarely spell the address the same way ("西工区凯旋路18号阳光家园5号楼
 * 二单元" against "阳光家园5栋2单元"), so the detector compares these parts,
 * not the strings. Pure; no word list: the rules are the few suffixes Chinese
 * addresses are built from.
 */
import { termsOf } from '../order/text-terms.ts';

/** One door number on one road: 凯旋路18号 is { road: '凯旋路', number: 18 }. */
export interface Door {
  /** The road's key: its last two characters before the suffix, plus the suffix (see `roadKey`). */
  readonly road: string;
  readonly number: number;
}

export interface AddressParts {
  /** The whole address normalised: equal keys are the same address. '' when nothing is left. */
  readonly key: string;
  /** The two roads of a crossing, as keys, sorted and joined by '|'. */
  readonly crossing: string | null;
  readonly doors: readonly Door[];
  /** Every road named, as keys (doors' and crossings' included). */
  readonly roads: readonly string[];
  /** 小区/家园/院/学校…: the name left once roads, numbers and qualifiers are taken out. */
  readonly compound: string | null;
  /** The compound's bigrams, for comparing two spellings of it. */
  readonly compoundTerms: ReadonlySet<string>;
  readonly building: number | null;
  readonly unit: number | null;
  readonly room: number | null;
  /** Compass directions of a side, corner or gate (东侧, 西南角, 南门): letters of 东南西北. */
  readonly side: string | null;
}

const HAN = '\\u3400-\\u9fff';
const ROAD_SUFFIX = '大道|大街|胡同|路|街|巷|弄';
const CROSSING_WORD = '交叉路口|交叉口|十字路口|丁字路口|交汇处|交汇口|交界处|交口|路口';

/**
 * Qualifiers that say "at or around" a place rather than which place. They
 * are dropped from the key; a compass direction in them is kept as `side`.
 * Longest first, so 大门口 goes before 门口.
 */
export const QUALIFIERS = [
  '十字路口', '丁字路口', '东南角', '西南角', '东北角', '西北角', '大门口', '校门口', '附近', '旁边', '周边', '周围', '一带',
  '对面', '对过', '门口', '门前', '门外', '大门', '校门', '正门', '后门', '侧门', '东门', '西门', '南门', '北门', '东侧',
  '西侧', '南侧', '北侧', '东边', '西边', '南边', '北边', '东段', '西段', '南段', '北段', '中段', '路边', '路旁', '沿街',
  '沿线', '路段', '楼下', '楼前', '楼后', '院内', '里面', '一侧', '两侧', '拐角', '转角', '路口', '处', '旁',
] as const;
const QUALIFIER_PATTERN = new RegExp(QUALIFIERS.join('|'), 'g');

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十八 → 18, 二十一 → 21, 一百零五 → 105; null if it is not a plain numeral below 1,000. */
export function chineseNumeral(text: string): number | null {
  let total = 0;
  let current = 0;
  for (const char of text) {
    const digit = DIGITS[char];
    if (digit !== undefined) current = digit;
    else if (char === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (char === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else return null;
  }
  return total + current;
}

/**
 * A road's key: the last two characters of its name and the suffix (凯旋路,
 * 王城大道, 西四巷 for 彭西四巷). Within one street's orders that is enough to
 * tell roads apart, and it survives whatever precedes the name (a district, a
 * compound, 在), which a parser without a gazetteer cannot reliably cut off.
 */
export function roadKey(name: string): string {
  const match = ROAD_KEY.exec(name);
  return match ? match[1]! + match[2]! : name;
}
const ROAD_KEY = new RegExp(`([${HAN}0-9]{1,2})(${ROAD_SUFFIX})$`);

/** Administrative prefixes a citizen may or may not say: 示范市, 西工区, 凯旋路街道(办事处). */
function stripAdministrativePrefix(text: string): string {
  let rest = text;
  for (;;) {
    const before = rest;
    rest = rest.replace(PROVINCE, '').replace(CITY, '');
    // 西工区, 高新区, 浦东新区 — but not a compound that ends in 区 (阳光小区, 株洲路社区).
    const district = DISTRICT.exec(rest);
    if (district && !/(小|社|园|校|景|厂|矿|营)$/.test(district[1]!)) rest = rest.slice(district[0].length);
    rest = rest.replace(STREET_OFFICE, '');
    if (rest === before) return rest;
  }
}
const PROVINCE = new RegExp(`^[${HAN}]{2,6}?省`);
const CITY = new RegExp(`^[${HAN}]{2,4}?市(?!场)`);
const DISTRICT = new RegExp(`^([${HAN}]{1,4}?)(区|县)`);
const STREET_OFFICE = new RegExp(`^[${HAN}]{2,6}?街道(办事处|办)?`);

const ROAD_NAME = `[${HAN}0-9]{1,8}?(?:${ROAD_SUFFIX})`;
const CROSSING = new RegExp(`(${ROAD_NAME})\\s*(?:与|和|跟|同|及|、|/|&|\\+|\\s)?\\s*(${ROAD_NAME})\\s*(?:${CROSSING_WORD})`);

interface Normalised {
  readonly text: string;
  readonly crossing: string | null;
  readonly side: string | null;
}

function normalise(address: string): Normalised {
  let s = address.normalize('NFKC').toLowerCase();
  // 5-2-301 is building 5, unit 2, room 301; 5号楼2-301 is unit 2, room 301.
  s = s.replace(/(\d+)\s*-\s*(\d+)\s*-\s*(\d+)/g, '$1栋$2单元$3室');
  s = s.replace(/(号楼|栋|幢|座)\s*(\d+)\s*-\s*(\d+)/g, '$1$2单元$3室');
  // 18-20号 and 18至20号 are two doors.
  s = s.replace(/(\d+)\s*[-~～至到]\s*(\d+)号/g, '$1号$2号');
  // Chinese numerals before a numbering word: 十八号, 二单元, 五号楼 (not 四巷 or 七里河, which are names).
  s = s.replace(/([零〇一二两三四五六七八九十百]+)(?=号|栋|幢|座|单元|室|层|楼|户)/g, (numeral) => String(chineseNumeral(numeral) ?? numeral));

  // A crossing, in any order and with any joiner: 凯旋路与株洲路交叉口 = 株洲路、凯旋路路口.
  const found = CROSSING.exec(s);
  let crossing: string | null = null;
  if (found) {
    const pair = [roadKey(found[1]!), roadKey(found[2]!)].sort();
    crossing = pair.join('|');
    // Written back as 交叉口, which no qualifier contains, so the key keeps it.
    s = `${s.slice(0, found.index)} ${pair.join('与')}交叉口 ${s.slice(found.index + found[0].length)}`;
  }

  s = s.replace(/[^\p{L}\p{N}]+/gu, '');
  s = stripAdministrativePrefix(s);
  // 号院 is a door number's courtyard: 26号院 and 26号 are one place.
  s = s.replace(/(\d+)号院/g, '$1号');
  s = s.replace(/(\d+)(号楼|栋|幢|座)/g, '$1栋');
  // Whatever number is left before 楼 or 层 is a floor, which does not change the place.
  s = s.replace(/(\d+)(楼|层)/g, '');
  s = s.replace(/(\d+)(室|户|号房)/g, '$1室');
  s = s.replace(/单元(\d{3,4})(?!\d|室)/g, '单元$1室');

  let side = '';
  s = s.replace(QUALIFIER_PATTERN, (word) => {
    side += word.replace(/[^东南西北]/g, '');
    return '';
  });
  return { text: s, crossing, side: side === '' ? null : [...new Set(side)].sort().join('') };
}

/** The address normalised for comparison: punctuation, prefixes, qualifiers and spelling variants taken out. */
export function normalizeAddress(address: string): string {
  return normalise(address).text;
}

const DOOR = /(\d+)号/g;
const BUILDING = /(\d+)栋/;
const UNIT = /(\d+)单元/;
const ROOM = /(\d+)室/;
const ROAD_AT_END = new RegExp(`[${HAN}0-9]{1,2}(?:${ROAD_SUFFIX})$`);
const ROADS = new RegExp(`[${HAN}]{1,2}(?:${ROAD_SUFFIX})`, 'g');
/** A run that is only a road's name (凯旋路, 凯旋路步行街), not a compound's. */
const ROAD_ONLY = new RegExp(`^[${HAN}0-9]{1,8}(?:${ROAD_SUFFIX})$`);
const DOOR_WITH_ROAD = new RegExp(`(?:[${HAN}0-9]{1,2}(?:${ROAD_SUFFIX}))?\\d+号`, 'g');

export function parseAddress(address: string): AddressParts {
  const { text, crossing, side } = normalise(address);
  const doors: Door[] = [];
  let lastRoad = '';
  let rest = text;
  for (const match of text.matchAll(DOOR)) {
    const before = text.slice(0, match.index);
    const named = ROAD_AT_END.exec(before);
    // 株洲路18号20号: a number straight after another door is on the same road.
    if (named) lastRoad = roadKey(named[0]);
    else if (!/号$/.test(before)) lastRoad = '';
    doors.push({ road: lastRoad, number: Number(match[1]) });
  }
  rest = rest.replace(DOOR_WITH_ROAD, ' ');
  const roads = new Set<string>(doors.map((d) => d.road).filter((r) => r !== ''));
  if (crossing !== null) for (const r of crossing.split('|')) roads.add(r);
  for (const r of text.replace(/[^\u3400-\u9fff0-9]+/g, ' ').match(ROADS) ?? []) roads.add(roadKey(r));

  const number = (pattern: RegExp): number | null => {
    const m = pattern.exec(text);
    return m ? Number(m[1]) : null;
  };
  rest = rest.replace(/\d+(栋|单元|室)/g, ' ');
  if (crossing !== null) rest = rest.replace(`${crossing.replace('|', '与')}交叉口`, ' ');
  // The compound is the longest name left that is not just a road (凯旋路步行街 is one; 凯旋路 is not).
  const names = rest
    .split(/[\s0-9]+/)
    .filter((run) => run.length >= 2 && !ROAD_ONLY.test(run));
  const compound = names.sort((a, b) => b.length - a.length)[0] ?? null;

  return {
    key: text,
    crossing,
    doors,
    roads: [...roads],
    compound,
    compoundTerms: new Set(compound === null ? [] : termsOf([compound])),
    building: number(BUILDING),
    unit: number(UNIT),
    room: number(ROOM),
    side,
  };
}

/** How close two addresses are by their words. */
export type AddressLevel =
  /** The same place, one perhaps more precise than the other. */
  | 'same'
  /** A neighbouring door number on the same road. */
  | 'near'
  /** The same road, with nothing more precise shared. */
  | 'road'
  /** Nothing shared, nothing contradicting. */
  | 'none'
  /** Each names a different place: another building, unit, room, compound, crossing, gate or stretch of road. */
  | 'different';

export interface AddressComparison {
  readonly level: AddressLevel;
  /** For `different`, what differs; for `same`, what was matched on. */
  readonly basis: 'text' | 'crossing' | 'compound' | 'door' | 'building' | 'unit' | 'room' | 'side' | 'road' | null;
}

const NONE: AddressComparison = { level: 'none', basis: null };
const ROAD: AddressComparison = { level: 'road', basis: 'road' };

/** Door numbers this far apart on one road (odd one side, even the other) are the same stretch of road. */
export const NEIGHBOURING_DOORS = 10;

/** Compares the words of two addresses; positions are `compareLocated`'s business. */
export function compareAddresses(a: AddressParts, b: AddressParts): AddressComparison {
  if (a.key === '' || b.key === '') return NONE;
  if (a.key === b.key && sidesAgree(a.side, b.side)) return { level: 'same', basis: 'text' };

  if (a.crossing !== null && b.crossing !== null && a.crossing !== b.crossing) return { level: 'different', basis: 'crossing' };
  const compounds = a.compound !== null && b.compound !== null ? similarNames(a, b) : null;
  if (compounds === false) return { level: 'different', basis: 'compound' };
  if (a.building !== null && b.building !== null && a.building !== b.building) return { level: 'different', basis: 'building' };
  if (a.unit !== null && b.unit !== null && a.unit !== b.unit) return { level: 'different', basis: 'unit' };
  if (a.room !== null && b.room !== null && a.room !== b.room) return { level: 'different', basis: 'room' };
  if (!sidesAgree(a.side, b.side)) return { level: 'different', basis: 'side' };

  const doors = closestDoors(a.doors, b.doors);
  // Doors far apart on the same road are different places, unless a shared compound says otherwise (its gate on one road, its back on another).
  if (doors !== null && doors > NEIGHBOURING_DOORS && compounds !== true) return { level: 'different', basis: 'door' };

  if (a.crossing !== null && a.crossing === b.crossing) return { level: 'same', basis: 'crossing' };
  if (compounds === true) return { level: 'same', basis: 'compound' };
  if (doors === 0) return { level: 'same', basis: 'door' };
  if (doors !== null) return { level: 'near', basis: 'door' };
  // A building with no compound named on either side is too little to go on (株洲路社区3号楼 and 3号楼).
  for (const road of a.roads) if (b.roads.includes(road)) return ROAD;
  return NONE;
}

/** A side is a hint; only opposite ones (南门 and 北门, 东侧 and 西北角) say two places differ. */
function sidesAgree(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return true;
  for (let k = 0; k < a.length; k++) if (b.includes(a[k]!)) return true;
  return false;
}

/** Names of one compound spelt two ways: one inside the other (魏风小学 and 魏风小学东校区), or mostly the same bigrams. */
function similarNames(a: AddressParts, b: AddressParts): boolean {
  const x = a.compound!;
  const y = b.compound!;
  if (x === y || x.includes(y) || y.includes(x)) return true;
  let shared = 0;
  for (const term of a.compoundTerms) if (b.compoundTerms.has(term)) shared++;
  return (2 * shared) / (a.compoundTerms.size + b.compoundTerms.size) >= 0.6;
}

/** The smallest difference between door numbers on a road both name; null if they share no road with numbers. */
function closestDoors(a: readonly Door[], b: readonly Door[]): number | null {
  let best: number | null = null;
  for (const x of a) {
    for (const y of b) {
      if (x.road === '' || x.road !== y.road) continue;
      const gap = Math.abs(x.number - y.number);
      if (best === null || gap < best) best = gap;
    }
  }
  return best;
}
