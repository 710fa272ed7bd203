/**
 * Generated labelled pairs, from the demo's case templates (demo/templates.ts)
 * in the demo city's streets: the same matter reported again in other words,
 * and pairs that look alike but are not one matter. Seeded and deterministic.
 *
 * Rewording imitates how a second caller, or the same one days later, tells
 * the story and how another operator writes it down: synonyms and colloquial
 * words, clauses in another order, the pleading added or dropped, a short
 * "still not fixed" follow-up, the address written another way (district
 * left out, 栋 for 号楼, Chinese or full-width numerals, the crossing's roads
 * the other way round, a neighbouring door number, a gate). The labels come
 * from how each pair is built; the rule is in docs/DUPLICATES.md.
 */
import type { DuplicateCandidate, DuplicateProbe } from '#shared/duplicates/detect.ts';
import type { Location } from '#shared/order/values.ts';
import { mobileNumber } from '#demo/names.ts';
import { generateOrg, type GridPlace } from '#demo/org.ts';
import { createRng, hashString, type Rng } from '#demo/random.ts';
import { flat, spotIn, type Spot, type Where } from '#demo/spot.ts';
import { TEMPLATES, type CaseTemplate } from '#demo/templates.ts';
import type { LabelledPair, PairKind } from './pair.ts';

export const GENERATED_NOW = Date.UTC(2026, 2, 16, 2, 0); // a Monday, 10:00 CST
const HOUR = 60 * 60 * 1000;

/** How many pairs of each kind; 120 positive, 120 negative. */
export const GENERATED_MIX: Readonly<Record<PairKind, number>> = {
  reworded: 40,
  same_caller: 25,
  follow_up: 20,
  no_phone: 15,
  located: 10,
  enquiry_again: 10,
  same_address_other_problem: 35,
  same_type_nearby: 35,
  same_type_far: 15,
  unrelated: 20,
  enquiry_other_caller: 15,
};

/** [what is said, ways to say it instead]: words of the templates as callers vary them. */
const SYNONYMS: readonly (readonly [string, readonly string[]])[] = [
  ['已经连续一个多星期不亮了', ['一个多礼拜都不亮', '七八天了一直不亮', '好些天都是黑的']],
  ['黑乎乎的', ['一片漆黑', '黑漆漆的', '什么都看不见']],
  ['老人孩子', ['老人小孩', '老年人和小孩']],
  ['容易摔倒', ['容易摔跤', '好几个人摔了']],
  ['希望尽快修好', ['赶紧修一修', '请派人修一下']],
  ['路灯不亮', ['路灯坏了', '路灯不亮了', '灯不亮']],
  ['垃圾桶', ['垃圾箱', '垃圾桶']],
  ['满了三四天没人清运', ['满了好几天都没人来收', '好几天没人拉走', '三四天没清理了']],
  ['垃圾堆到地上', ['垃圾都溢到地上了', '垃圾扔得满地都是']],
  ['气味很大', ['臭味很大', '臭气熏天', '味道特别难闻']],
  ['招苍蝇蚊子', ['苍蝇蚊子乱飞', '全是苍蝇']],
  ['垃圾清运不及时', ['垃圾没人清运', '垃圾长时间不清运']],
  ['楼道里长期堆放', ['楼梯间一直堆着', '楼道里常年堆着']],
  ['旧家具、纸箱和电动车', ['旧沙发、纸箱子还有电动车', '杂物和电动车']],
  ['把楼梯都堵了一半', ['楼梯只剩一半能走', '上下楼都得侧着身子']],
  ['存在消防安全隐患', ['着火了都跑不出去', '有消防隐患']],
  ['楼道堆放杂物', ['楼道杂物堆积', '楼道被杂物堵塞']],
  ['井盖破损塌陷', ['井盖坏了陷下去了', '井盖碎了一块']],
  ['井盖缺损', ['井盖破损', '井盖坏了']],
  ['晚上看不清', ['天黑了看不见', '夜里根本看不清']],
  ['电动车经过很危险', ['骑电动车过去很危险', '电动车过的时候容易出事']],
  ['下水道堵了', ['下水道堵塞了', '下水管不通了']],
  ['污水往上冒', ['污水往外冒', '往外返污水']],
  ['路面全是积水', ['地上全是脏水', '路面都淹了']],
  ['气味难闻', ['臭得很', '味道刺鼻']],
  ['下水道堵塞返水', ['下水道堵了往外冒水', '下水道返水']],
  ['家里暖气不热', ['家里暖气片冰凉', '屋里暖气不热乎']],
  ['室内温度只有十四五度', ['屋里才十四五度', '家里只有十几度']],
  ['请协调热力公司处理', ['让热力公司来看看', '麻烦找一下热力公司']],
  ['供暖不热', ['暖气不热', '供暖温度不达标']],
  ['这个月已经坏了三次', ['这个月三天两头坏', '一个月坏了好几回']],
  ['上周还困过人', ['上礼拜还把人困在里面', '前几天还关过人']],
  ['电梯经常故障停运', ['电梯老是坏', '电梯频繁故障']],
  ['希望督促物业尽快彻底维修', ['让物业好好修一修', '请督促物业彻底修好']],
  ['从今天早上开始停水', ['今天一早就没水了', '早上起来就停水了']],
  ['事先没有任何通知', ['也没提前通知', '一点通知都没有']],
  ['什么时候恢复供水', ['啥时候能来水', '什么时候能恢复']],
  ['突然停水没有通知', ['无故停水', '停水未提前通知']],
  ['有一根大树枝断了', ['一根粗树杈断了', '有个大树枝折了']],
  ['挂在半空', ['吊在上面', '悬在半空中']],
  ['很危险', ['太危险了', '特别危险', '容易出事']],
  ['行道树断枝存在隐患', ['树枝折断有危险', '行道树断枝']],
  ['路面有好几个大坑', ['路上好多坑', '路面坑坑洼洼的']],
  ['一下雨全是积水', ['下雨就积水', '下点雨就成水坑']],
  ['路面坑洼破损', ['路面破损', '路上有大坑']],
  ['顶楼一下雨屋顶就漏水', ['顶层房顶一下雨就漏', '顶楼下雨天屋里漏雨']],
  ['墙面都发霉了', ['墙上都长霉了', '墙皮都霉了']],
  ['找物业好多次都没解决', ['跟物业说了好几次也不管', '物业一直拖着不修']],
  ['顶楼漏雨', ['房顶漏水', '顶层漏雨']],
  ['包工头拖欠我们十几个人三个月工资', ['工头欠我们十几个工人三个月的工钱', '老板三个月没给我们十多个人发工资']],
  ['请帮忙追讨', ['请帮我们要回来', '希望帮忙讨薪']],
  ['拖欠农民工工资', ['欠薪', '拖欠工人工资']],
  ['门口和消防通道上每天晚上停满车', ['消防通道晚上全停满了私家车', '门口消防车道天天被车堵死']],
  ['上次救护车都进不来', ['前几天救护车都开不进来', '救护车进不去']],
  ['消防通道被车辆占用', ['消防通道被占', '车辆占用消防车道']],
  ['楼道里有一股燃气味', ['楼道里有煤气味', '楼梯间一股天然气味道']],
  ['担心会出事', ['怕出危险', '怕爆炸']],
  ['申请用电报装已经一个多月了还没有接电', ['报装用电一个多月了一直没通电', '申请接电一个多月还没给接']],
  ['设备到了没法开工', ['机器到了开不了工', '设备进场了用不了']],
  ['每天晚上十一点以后还在施工', ['天天夜里十一点多了还在干活', '每天半夜还在施工']],
  ['打桩机声音很大', ['打桩机轰隆隆地响', '机器声音特别大']],
  ['根本没法睡觉', ['吵得睡不着', '一晚上都睡不着觉']],
  ['工地夜间施工噪声扰民', ['工地晚上施工太吵', '夜间施工噪音扰民']],
  ['音响开得特别大', ['音箱声音太大', '喇叭放得特别响']],
  ['孩子没法写作业', ['孩子作业都写不成', '小孩没法学习']],
  ['广场舞音响声音过大', ['广场舞噪音扰民', '跳广场舞声音太大']],
  ['有大量摊贩占道经营', ['好多小贩占道摆摊', '摆摊的把路都占了']],
  ['垃圾扔一地', ['垃圾到处都是', '收摊后满地垃圾']],
  ['早市占道经营影响通行', ['早市摊贩占道', '占道经营堵路']],
  ['油烟直排', ['油烟直接往外排', '油烟没处理就排出来']],
  ['窗户都不敢开', ['窗户都没法开', '家里没法开窗']],
  ['饭店油烟扰民', ['饭店油烟太大', '餐馆油烟污染']],
  ['物业费照收', ['物业费一分不少收', '物业费年年交']],
  ['门禁也坏了好几个月', ['门禁坏了好几个月没人修', '门禁一直坏着']],
  ['围挡已经三个多月了', ['围起来三个多月了', '挡了三个多月']],
  ['顾客进不来', ['客人进不了店', '顾客都找不到门']],
  ['没有红绿灯', ['没有信号灯', '没装红绿灯']],
  ['早晚高峰经常剐蹭', ['上下班高峰老出事故', '早晚经常有车剐蹭']],
  ['很多人把电动车推进楼道充电', ['好多人在楼道里给电动车充电', '电动车都推到楼道里充电']],
  ['建议在小区里建集中充电桩', ['建议小区装集中充电桩', '希望小区建个充电棚']],
  ['老人多', ['老年人比较多', '上了年纪的人多']],
  ['最近有七八只流浪狗', ['最近好多流浪狗', '最近来了七八条野狗']],
  ['还追过小孩', ['还追着小孩咬', '追过孩子']],
  ['共享单车堆成一片', ['共享单车堆得到处都是', '共享单车乱停一大片']],
  ['把盲道和人行道都占了', ['盲道人行道都被占了', '人都没地方走']],
  ['社保卡丢了', ['社保卡弄丢了', '社保卡找不到了']],
  ['想问一下在哪里补办', ['咨询去哪儿补办', '问问在哪补']],
  ['需要带什么材料', ['要带哪些材料', '需要准备啥材料']],
  ['孩子今年九月上一年级', ['孩子今年秋天上小学', '小孩九月份上一年级']],
  ['想咨询一下划片对应哪所小学', ['想问问划片到哪个小学', '咨询对口哪所小学']],
  ['想问一下公租房怎么申请', ['咨询公租房申请流程', '问问怎么申请公租房']],
  ['请问办居住证需要什么材料', ['想问办居住证要哪些材料', '咨询居住证怎么办']],
  ['想问一下医保怎么办理异地就医备案', ['咨询医保异地备案怎么办', '问问异地就医备案手续']],
  ['想问一下个体营业执照怎么办', ['咨询个体执照怎么办理', '问问办个体营业执照的手续']],
  ['今年供暖费什么时候开始交', ['供暖费啥时候交', '今年暖气费几号开始缴']],
  ['希望', ['麻烦', '请']],
  ['非常', ['特别', '很']],
  ['什么时候', ['啥时候', '几时']],
];

const PREFIXES = ['市民来电反映：', '来电人称，', '我是这里的住户，', '我家就住在附近，', '我之前打过电话，'] as const;
const SUFFIXES = [
  '请尽快处理。',
  '已经好几天了，一直没人管。',
  '希望相关部门管一管。',
  '之前也反映过，到现在还没解决。',
  '麻烦尽快派人来看看，谢谢。',
  '这个问题反映过好几次了。',
  '请尽快解决，谢谢！',
] as const;
const FOLLOW_UPS = [
  (place: string, problem: string) => `之前反映过${place}${problem}，到现在还没人来处理，怎么回事？`,
  (place: string, problem: string) => `${place}${problem}，上次打过电话了，还是没解决，请抓紧。`,
  (place: string, problem: string) => `再次反映${place}${problem}的事，一直没人管。`,
  (place: string, problem: string) => `${place}还是${problem}，前几天就反映了，麻烦催一下。`,
] as const;

/** The case's words with the spot's own names taken out: "门口路灯不亮". */
function problemOf(template: CaseTemplate, spot: Spot): string {
  let title = template.title(spot);
  const names = [spot.district, spot.street, spot.community, spot.road, spot.crossRoad, spot.compound, `${spot.number}号`, `${spot.building}号楼`, `${spot.unit}单元`];
  for (const name of names.sort((a, b) => b.length - a.length)) title = title.split(name).join('');
  return title.replace(/^(反映|投诉|建议在?|咨询|企业反映|商户反映|表扬)/, '').replace(/^[与和、]/, '') || template.title(spot);
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;
/** 1 … 99 in Chinese numerals, as callers say building and unit numbers. */
function chinese(n: number): string {
  if (n <= 10) return NUMERALS[n]!;
  if (n < 20) return `十${n % 10 === 0 ? '' : NUMERALS[n % 10]!}`;
  return `${NUMERALS[Math.floor(n / 10)]!}十${n % 10 === 0 ? '' : NUMERALS[n % 10]!}`;
}
const fullWidth = (n: number): string => String(n).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** The address as the hotline first wrote it (demo/spot.ts's addressOf, with the district). */
function firstAddress(s: Spot, where: Where): string {
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

/** The same place written another way. */
function otherAddress(s: Spot, where: Where, rng: Rng): string {
  const ways: Record<Where, readonly (() => string)[]> = {
    building: [
      () => `${s.compound}${s.building}栋${s.unit}单元`,
      () => `${s.compound}${chinese(s.building)}号楼${chinese(s.unit)}单元`,
      () => `${s.road}${s.number}号${s.compound}${fullWidth(s.building)}幢${s.unit}单元`,
      () => `${s.district}${s.compound}${s.building}号楼${s.unit}单元${rng.int(1, 6)}0${rng.int(1, 4)}室`,
      () => `${s.street}${s.road}${s.number}号院${s.compound} ${s.building}号楼 ${s.unit}单元`,
    ],
    compound: [
      () => s.compound,
      () => `${s.compound}门口`,
      () => `${s.road}${s.number}号${s.compound}南门`,
      () => `${s.street}${s.compound}`,
      () => `${s.compound}里面`,
    ],
    road: [
      () => `${s.road}${s.number}号`,
      () => `${s.road}${s.number}号门前`,
      () => `${s.road}${s.number + rng.pick([-4, -2, 2, 4])}号附近`,
      () => `${s.road}${fullWidth(s.number)}号旁边`,
      () => `${s.street}${s.road}${s.number}号`,
    ],
    crossing: [
      () => `${s.crossRoad}与${s.road}交叉口`,
      () => `${s.road}、${s.crossRoad}路口`,
      () => `${s.crossRoad}${s.road}十字路口`,
      () => `${s.road}和${s.crossRoad}交叉口附近`,
      () => `${s.district}${s.crossRoad}与${s.road}交叉口东侧`,
    ],
  };
  return rng.pick(ways[where])();
}

/** A loose address: only the road, or the compound with its road (for pairs that carry position fixes). */
function looseAddress(s: Spot, where: Where, rng: Rng): string {
  switch (where) {
    case 'building':
    case 'compound':
      return rng.chance(0.5) ? s.compound : `${s.road}${s.compound}一带`;
    case 'road':
      return `${s.road}${rng.pick(['附近', '路边', '中段'])}`;
    case 'crossing':
      return `${s.road}${rng.pick(['路口', '附近'])}`;
  }
}

function applySynonyms(text: string, rng: Rng, chance: number): string {
  let out = text;
  for (const [said, instead] of SYNONYMS) {
    if (out.includes(said) && rng.chance(chance)) out = out.replace(said, rng.pick(instead));
  }
  return out;
}

/** Clauses with their punctuation: "A，B。C" → ["A，", "B。", "C"]. */
function clauses(text: string): string[] {
  return text.match(/[^，。；！？]+[，。；！？]?/g) ?? [text];
}

/** The citizen's words as another caller, or the same one later, would say them. */
function reword(text: string, rng: Rng): string {
  let parts = clauses(applySynonyms(text, rng, 0.7));
  if (parts.length >= 3 && rng.chance(0.5)) {
    // Swap two clauses after the first (which says where): callers tell the details in any order.
    const i = rng.int(1, parts.length - 1);
    const j = rng.int(1, parts.length - 1);
    [parts[i], parts[j]] = [parts[j]!, parts[i]!];
  }
  if (parts.length >= 3 && /请|希望|麻烦|建议/.test(parts.at(-1)!) && rng.chance(0.4)) parts = parts.slice(0, -1);
  let out = parts.map((p, i) => (i === parts.length - 1 ? p.replace(/[，；]$/, '。') : p.replace(/[。！？]$/, '，'))).join('');
  if (!/[。！？]$/.test(out)) out += '。';
  if (rng.chance(0.35)) out = rng.pick(PREFIXES) + out;
  if (rng.chance(0.5)) out += rng.pick(SUFFIXES);
  if (rng.chance(0.3)) out = out.replace('非常', '老').replace('怎么', '咋').replace('什么', '啥');
  return out;
}

/** The title another operator writes: the template's reworded, or the first words of the citizen's. */
function retitle(template: CaseTemplate, spot: Spot, content: string, rng: Rng): string {
  if (rng.chance(0.6)) return applySynonyms(template.title(spot), rng, 0.8);
  const first = clauses(content.replace(/^(市民来电反映：|来电人称，|我是这里的住户，|我家就住在附近，|我之前打过电话，)/, ''))[0]!;
  return first.replace(/[，。；！？]$/, '').slice(0, 30);
}

/** A true position for a place: the grid's centre moved by a stable offset of up to ~300 m. */
function placePosition(place: GridPlace, key: string): { lat: number; lng: number } {
  const h = hashString(key);
  const dx = ((h & 0xffff) / 0xffff - 0.5) * 600;
  const dy = (((h >>> 16) & 0xffff) / 0xffff - 0.5) * 600;
  return { lat: place.centre.lat + dy / 111_000, lng: place.centre.lng + dx / 91_000 };
}

function fixNear(at: { lat: number; lng: number }, rng: Rng, metres: number): Location {
  const angle = rng.between(0, 2 * Math.PI);
  const r = rng.between(0, metres);
  return {
    kind: 'fix',
    position: {
      lat: Math.round((at.lat + (Math.sin(angle) * r) / 111_000) * 1e6) / 1e6,
      lng: Math.round((at.lng + (Math.cos(angle) * r) / 91_000) * 1e6) / 1e6,
      accuracy: rng.int(8, 40),
    },
  };
}

function fixAway(at: { lat: number; lng: number }, rng: Rng, min: number, max: number): Location {
  const angle = rng.between(0, 2 * Math.PI);
  const r = rng.between(min, max);
  return fixNear({ lat: at.lat + (Math.sin(angle) * r) / 111_000, lng: at.lng + (Math.cos(angle) * r) / 91_000 }, rng, 10);
}

function placeKey(s: Spot, where: Where): string {
  switch (where) {
    case 'building':
    case 'compound':
      return `${s.compound}`;
    case 'road':
      return `${s.road}${Math.round(s.number / 20)}`;
    case 'crossing':
      return [s.road, s.crossRoad].sort().join('|');
  }
}

interface Order {
  readonly template: CaseTemplate;
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly phone: string | null;
  readonly location: Location | null;
  readonly receivedAt: number;
}

let serial = 0;
function asCandidate(o: Order, id: string): DuplicateCandidate {
  serial += 1;
  return {
    id: `${id}-a`,
    orderNo: `2603${String(serial).padStart(8, '0')}`,
    receivedAt: o.receivedAt,
    status: 'in_progress',
    type: o.template.type,
    category: o.template.category,
    title: o.title,
    content: o.content,
    address: o.address,
    phone: o.phone,
    location: o.location,
  };
}

function asProbe(o: Order, id: string): DuplicateProbe {
  return {
    id: `${id}-b`,
    receivedAt: o.receivedAt,
    type: o.template.type,
    category: o.template.category,
    title: o.title,
    content: o.content,
    address: o.address,
    phone: o.phone,
    location: o.location,
  };
}

const ALL = Object.values(TEMPLATES).flat();
const PLACE_TEMPLATES = ALL.filter((t) => t.type !== 'enquiry' && t.type !== 'praise');
const ENQUIRIES = TEMPLATES.enquiry;

/** The labelled pairs built from the templates, `GENERATED_MIX` of each kind. */
export function generatedPairs(seed = 20260316): LabelledPair[] {
  serial = 0;
  const org = generateOrg();
  const pairs: LabelledPair[] = [];
  let n = 0;
  for (const [kind, count] of Object.entries(GENERATED_MIX) as [PairKind, number][]) {
    for (let k = 0; k < count; k++) {
      const rng = createRng(seed + 7919 * n);
      const id = `gen-${String(++n).padStart(3, '0')}`;
      pairs.push(build(kind, id, rng, org.grids));
    }
  }
  return pairs;
}

function build(kind: PairKind, id: string, rng: Rng, grids: readonly GridPlace[]): LabelledPair {
  const place = rng.pick(grids);
  const spot = spotIn(place, rng);
  const secondAt = GENERATED_NOW - rng.int(0, 6) * HOUR;
  const phone = mobileNumber(rng);
  const otherPhone = (): string | null => (rng.chance(0.15) ? null : mobileNumber(rng));
  const first = (template: CaseTemplate, s: Spot, extra: Partial<Order> = {}): Order => ({
    template,
    title: template.title(s),
    content: template.content(s),
    address: firstAddress(s, template.where),
    phone,
    location: null,
    receivedAt: secondAt - rng.int(2, 9 * 24) * HOUR,
    ...extra,
  });
  const again = (template: CaseTemplate, s: Spot, extra: Partial<Order> = {}): Order => {
    const content = reword(template.content(s), rng);
    return {
      template,
      title: retitle(template, s, content, rng),
      content,
      address: rng.chance(0.7) ? otherAddress(s, template.where, rng) : firstAddress(s, template.where),
      phone: otherPhone(),
      location: null,
      receivedAt: secondAt,
      ...extra,
    };
  };
  const pair = (a: Order, b: Order, duplicate: boolean): LabelledPair => ({
    id,
    source: 'generated',
    kind,
    duplicate,
    first: asCandidate(a, id),
    second: asProbe(b, id),
  });
  const template = rng.pick(PLACE_TEMPLATES);

  switch (kind) {
    case 'reworded':
      return pair(first(template, spot), again(template, spot), true);
    case 'same_caller': {
      const a = first(template, spot, { receivedAt: secondAt - rng.int(2, 6 * 24) * HOUR });
      return pair(a, again(template, spot, { phone }), true);
    }
    case 'follow_up': {
      const sameCaller = rng.chance(0.6);
      const a = first(template, spot, sameCaller ? { receivedAt: secondAt - rng.int(24, 6 * 24) * HOUR } : {});
      const problem = problemOf(template, spot);
      const where = template.where === 'building' ? flat(spot) : template.where === 'crossing' ? `${spot.road}与${spot.crossRoad}路口` : template.where === 'road' ? `${spot.road}${spot.number}号` : spot.compound;
      const content = rng.pick(FOLLOW_UPS)(where, problem);
      return pair(a, again(template, spot, { content, title: `${where}${problem}`, phone: sameCaller ? phone : otherPhone() }), true);
    }
    case 'no_phone':
      return pair(first(template, spot), again(template, spot, { phone: null }), true);
    case 'located': {
      const at = placePosition(place, placeKey(spot, template.where));
      const a = first(template, spot, { location: fixNear(at, rng, 30) });
      return pair(a, again(template, spot, { address: looseAddress(spot, template.where, rng), location: fixNear(at, rng, 30) }), true);
    }
    case 'enquiry_again': {
      const enquiry = rng.pick(ENQUIRIES);
      const a = first(enquiry, spot, { receivedAt: secondAt - rng.int(2, 6 * 24) * HOUR });
      return pair(a, again(enquiry, spot, { phone }), true);
    }
    case 'same_address_other_problem': {
      const others = PLACE_TEMPLATES.filter((t) => t !== template && t.where === template.where);
      const other = rng.pick(others);
      const sameCaller = rng.chance(0.25);
      const a = first(template, spot, sameCaller ? { receivedAt: secondAt - rng.int(2, 6 * 24) * HOUR } : {});
      // The second written down with the first's address, as one caller gives the same home address twice.
      return pair(a, again(other, spot, { address: rng.chance(0.6) ? a.address : otherAddress(spot, other.where, rng), phone: sameCaller ? phone : otherPhone() }), false);
    }
    case 'same_type_nearby': {
      const near = nearbySpot(spot, template.where, place, rng);
      const located = rng.chance(0.4);
      const a = first(template, spot, located ? { location: fixNear(placePosition(place, placeKey(spot, template.where)), rng, 20) } : {});
      const b = again(template, near, located ? { location: fixAway(placePosition(place, placeKey(spot, template.where)), rng, 120, 400) } : {});
      return pair(a, b, false);
    }
    case 'same_type_far': {
      const far = grids.filter((g) => g.street.id === place.street.id && g.community.id !== place.community.id);
      const otherPlace = rng.pick(far);
      // The street's roads are shared by its communities: draw again until the place is another one.
      let there = spotIn(otherPlace, rng);
      while (samePlace(spot, there, template.where)) there = spotIn(otherPlace, rng);
      const located = rng.chance(0.4);
      const at = placePosition(place, placeKey(spot, template.where));
      const a = first(template, spot, located ? { location: fixNear(at, rng, 20) } : {});
      return pair(a, again(template, there, located ? { location: fixAway(at, rng, 900, 2000) } : {}), false);
    }
    case 'unrelated': {
      const otherPlace = rng.pick(grids.filter((g) => g.street.id === place.street.id && g.grid.id !== place.grid.id));
      const other = rng.pick(ALL.filter((t) => t !== template));
      return pair(first(template, spot), again(other, spotIn(otherPlace, rng)), false);
    }
    case 'enquiry_other_caller': {
      const enquiry = rng.pick(ENQUIRIES);
      return pair(first(enquiry, spot), again(enquiry, spot, { phone: mobileNumber(rng) }), false);
    }
  }
}

/** Whether two spots are one place for a problem located `where` (the labelling rule's precision). */
function samePlace(a: Spot, b: Spot, where: Where): boolean {
  switch (where) {
    case 'building':
      return a.compound === b.compound && a.building === b.building && a.unit === b.unit;
    case 'compound':
      return a.compound === b.compound;
    case 'road':
      return a.road === b.road && Math.abs(a.number - b.number) <= 20;
    case 'crossing':
      return [a.road, a.crossRoad].sort().join() === [b.road, b.crossRoad].sort().join();
  }
}

/** Nearby but another place for this kind of problem: another building or unit, compound, stretch of road or crossing. */
function nearbySpot(s: Spot, where: Where, place: GridPlace, rng: Rng): Spot {
  switch (where) {
    case 'building':
      return rng.chance(0.6) ? { ...s, building: ((s.building + rng.int(1, 5) - 1) % 32) + 1 } : { ...s, unit: (s.unit % 6) + 1 };
    case 'compound': {
      const other = place.compounds.filter((c) => c !== s.compound);
      return { ...s, compound: rng.pick(other), number: ((s.number + rng.int(20, 80)) % 298) + 1 };
    }
    case 'road':
      return { ...s, number: s.number > 150 ? s.number - rng.int(20, 120) : s.number + rng.int(20, 120) };
    case 'crossing': {
      const other = place.roads.filter((r) => r !== s.road && r !== s.crossRoad);
      return { ...s, crossRoad: rng.pick(other) };
    }
  }
}
