/**
 * The demo organisation: 示范市 › 区 › 街道 › 社区 › 网格. It depends only on
 * the sizes, never on the seed, so account ids and unit names stay the same
 * whatever orders are generated; d1-s1 (凯旋路街道) is where the real
 * cases happened.
 */
import type { Unit } from '#shared/org/units.ts';
import { itemAt } from './random.ts';

export interface OrgSize {
  readonly districts: number;
  readonly streetsPerDistrict: number;
  readonly communitiesPerStreet: number;
  readonly gridsPerCommunity: number;
}

export const DEFAULT_ORG_SIZE: OrgSize = {
  districts: 3,
  streetsPerDistrict: 3,
  communitiesPerStreet: 4,
  gridsPerCommunity: 4,
};

export const CITY_ID = 'city';
export const CITY_NAME = '示范市';

/** A grid with everything an order placed in it needs: its chain of units and the words of its streets. */
export interface GridPlace {
  readonly district: Unit;
  readonly street: Unit;
  readonly community: Unit;
  readonly grid: Unit;
  /** Roads in the street, its own road first. */
  readonly roads: readonly string[];
  /** Residential compounds (小区/家园/院) in the community. */
  readonly compounds: readonly string[];
  /** Roughly the middle of the grid, for check-ins and photos. */
  readonly centre: { readonly lat: number; readonly lng: number };
}

export interface DemoOrg {
  readonly size: OrgSize;
  /** City first, then depth first: every unit after its parent. */
  readonly units: readonly Unit[];
  readonly grids: readonly GridPlace[];
}

const DISTRICTS = ['西工区', '东城区', '南湖区', '北山区', '新港区', '河阳区', '高新区', '经开区', '滨河区', '城关区'] as const;

/** Street offices are named after their main road (凯旋路街道). */
const ROADS = [
  '凯旋路', '北海路', '中州路', '王城大道', '九都路', '唐宫路', '解放路', '人民路', '建设路', '和平路', '光明路', '胜利路',
  '长安路', '文化路', '青年路', '友谊路', '朝阳路', '新华路', '健康路', '幸福路', '春晖路', '滨河路', '南昌路', '太原路',
  '西安路', '武汉路', '长春路', '延安路', '丽新路', '芳林路', '青岛路', '黄河路', '龙门大道', '开元大道', '定鼎路', '启明路',
] as const;

/** Lanes and side roads, mixed into each street's roads. */
const LANES = [
  '株洲路', '彭西四巷', '东二巷', '建业巷', '同乐街', '春都路', '金谷巷', '红山路', '七里河路', '安乐街', '辛店路', '白马巷',
  '龙泉路', '瀛洲路', '牡丹街', '翠云路', '周公巷', '丽景街', '中沟路', '月季路', '桃园巷', '杏园街', '梨园路', '枣园巷',
] as const;

const COMMUNITIES = [
  '株洲路', '北海', '彭西', '魏风', '王城', '同乐', '春都', '金谷', '红山', '孙旗屯', '西下池', '东下池', '七里河', '安乐',
  '辛店', '白马', '龙泉', '瀛洲', '牡丹', '翠云', '定鼎', '周公', '丽景', '启明', '中沟', '月季', '桃园', '杏园', '梨园',
  '枣园', '兴华', '新村', '东风', '南苑', '北苑', '锦绣', '纱厂', '西苑', '青年宫', '华山', '太行', '嵩山', '邙山', '涧河',
  '洛浦', '伊滨', '关林', '龙门',
] as const;

const COMPOUND_WORDS = ['阳光', '幸福', '和谐', '锦华', '绿城', '金色', '康乐', '明珠', '怡景', '书香', '银杏', '丽水'] as const;
const COMPOUND_SUFFIXES = ['家园', '花园', '新村', '嘉苑', '小区'] as const;

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;

/** 第一 … 第十, then 第11 … */
export function ordinal(n: number): string {
  return `第${n <= NUMERALS.length ? itemAt(NUMERALS, n - 1) : String(n)}`;
}

/** The name at `k` of a list, numbered once the list runs out so that names stay unique. */
function nth(list: readonly string[], k: number): string {
  const round = Math.floor(k / list.length);
  return itemAt(list, k % list.length) + (round === 0 ? '' : String(round + 1));
}

export function generateOrg(size: Partial<OrgSize> = {}): DemoOrg {
  const resolved: OrgSize = { ...DEFAULT_ORG_SIZE, ...size };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value < 1 || value > 99) throw new Error(`${key} must be a whole number from 1 to 99, got ${value}`);
  }
  const units: Unit[] = [{ id: CITY_ID, kind: 'city', name: CITY_NAME, parentId: null }];
  const grids: GridPlace[] = [];
  let streetIndex = 0;
  let communityIndex = 0;
  for (let d = 1; d <= resolved.districts; d++) {
    const district: Unit = { id: `d${d}`, kind: 'district', name: nth(DISTRICTS, d - 1), parentId: CITY_ID };
    units.push(district);
    for (let s = 1; s <= resolved.streetsPerDistrict; s++, streetIndex++) {
      const road = nth(ROADS, streetIndex);
      const street: Unit = { id: `${district.id}-s${s}`, kind: 'street', name: `${road}街道`, parentId: district.id };
      units.push(street);
      const roads = [road, nth(ROADS, streetIndex + 1), nth(LANES, streetIndex), nth(LANES, streetIndex + 7)];
      for (let c = 1; c <= resolved.communitiesPerStreet; c++, communityIndex++) {
        const base = nth(COMMUNITIES, communityIndex);
        const community: Unit = { id: `${street.id}-c${c}`, kind: 'community', name: `${base}社区`, parentId: street.id };
        units.push(community);
        const compounds = [
          `${base}小区`,
          `${itemAt(COMPOUND_WORDS, communityIndex % COMPOUND_WORDS.length)}${itemAt(COMPOUND_SUFFIXES, communityIndex % COMPOUND_SUFFIXES.length)}`,
          `${itemAt(roads, c % roads.length)}${10 + ((communityIndex * 17) % 90)}号院`,
        ];
        for (let g = 1; g <= resolved.gridsPerCommunity; g++) {
          const grid: Unit = { id: `${community.id}-g${g}`, kind: 'grid', name: `${community.name}${ordinal(g)}网格`, parentId: community.id };
          units.push(grid);
          grids.push({
            district,
            street,
            community,
            grid,
            roads,
            compounds,
            centre: {
              lat: round6(34.58 + d * 0.031 + s * 0.0083 + c * 0.0021 + g * 0.0006),
              lng: round6(112.36 + d * 0.047 + s * 0.0097 + c * 0.0023 + g * 0.0007),
            },
          });
        }
      }
    }
  }
  return { size: resolved, units, grids };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
