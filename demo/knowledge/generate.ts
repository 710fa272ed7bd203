/**
 * The demo knowledge base: six entries per matter in subjects.ts (条件, 材料,
 * 流程, 时限, 费用, 网上办理), written in the register of a 12345 answer.
 * Deterministic: the wording, the area, the dates and the version of each
 * entry come from a stream seeded by (seed, entry), so an entry reads the
 * same on every run and rebuilding one does not shift the others.
 */
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';
import { createRng, hashString, mixSeed, type Rng } from '../random.ts';
import { CITY_ID } from '../org.ts';
import { SUBJECTS, type Subject } from './subjects.ts';

export const ASPECTS = ['cond', 'mat', 'flow', 'time', 'fee', 'online'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const CATEGORY_CODES: Record<string, string> = {
  住房: 'zf', 物业: 'wy', 教育: 'jy', 社保: 'sb', 医保: 'yb', 户籍: 'hj', 城市管理: 'cg', 环境: 'hb', 交通: 'jt', 市场监管: 'sj',
};

export const entryId = (subject: Pick<Subject, 'category' | 'code'>, aspect: Aspect): string =>
  `kb-${CATEGORY_CODES[subject.category] ?? 'qt'}-${subject.code}-${aspect}`;

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八'];
const OPENINGS = ['您好！', '您好，感谢您对我们工作的关注。', '市民朋友您好：', '您好，现就您咨询的问题答复如下：'];
const CLOSINGS = [
  '如有其他疑问，可拨打12345热线咨询。',
  '具体以经办部门的审核结果为准，如有疑问请拨打12345。',
  '感谢您的来电，如仍有问题欢迎再次联系12345。',
  '办理前建议先电话或网上预约，以免往返。',
];
const DISTRICT_NAMES = ['西工区', '东城区', '南湖区'];

const list = (items: readonly string[]): string => items.map((s, i) => `${ORDINALS[i] ?? i + 1}是${s}`).join('；');
const numbered = (items: readonly string[]): string => items.map((s, i) => `（${i + 1}）${s}`).join('；');
/** The matter as a title names it: 申请公租房, 噪声扰民投诉, 物业服务收费. */
function matter(s: Subject): string {
  if (s.act === '咨询') return s.name;
  if (s.act === '投诉' || s.act === '预约') return s.name.endsWith(s.act) ? s.name : `${s.name}${s.act}`;
  return `${s.act}${s.name}`;
}

interface Written {
  title: string;
  questions: string[];
  body: string;
}

function write(s: Subject, aspect: Aspect, rng: Rng): Written {
  const m = matter(s);
  const alias = rng.pick(s.aliases);
  switch (aspect) {
    case 'cond':
      return {
        title: s.act === '投诉' ? `${s.name}的受理范围` : `${m}的条件`,
        questions: [`${m}需要什么条件`, `什么情况可以${s.act === '投诉' ? '投诉' : s.act}${s.name}`, `${alias}有什么要求`, `我符合${s.name}的条件吗`],
        body: `根据《〔示例〕${s.basis}》，${s.act === '投诉' ? `以下情形属于${s.name}的受理范围` : `${m}应符合以下条件`}：${list(s.conditions)}。`,
      };
    case 'mat':
      return {
        title: `${m}所需材料`,
        questions: [`${m}要带哪些材料`, `${s.name}需要准备什么资料`, `办${alias}要带什么`, `${s.name}要什么证件`],
        body: `${m}请准备以下材料：${numbered(s.materials)}。材料需提供原件，窗口核验后当场退还；委托他人办理的，还需提供委托书及受托人身份证。`,
      };
    case 'flow':
      return {
        title: `${m}的办理流程`,
        questions: [`${m}怎么办理`, `${s.name}的流程是什么`, `${alias}去哪里办`, `${s.name}怎么弄`],
        body: `${m}可到${s.place}办理，流程如下：${numbered(s.steps)}。责任部门为${s.department}。`,
      };
    case 'time':
      return {
        title: `${m}的办理时限`,
        questions: [`${m}多久能办好`, `${s.name}要多长时间`, `${alias}几天出结果`, `${s.name}办理期限`],
        body:
          s.days <= 1
            ? `${m}材料齐全、符合条件的即时办结（当场办结）。材料不全的，窗口一次性告知需补正的内容。`
            : `${m}自受理之日起${s.days}个工作日内办结（不含公示、现场核查等时间）。材料不全的，窗口一次性告知需补正的内容；超过时限未收到结果的，可向${s.department}查询或拨打12345反映。`,
      };
    case 'fee':
      return {
        title: `${m}的收费标准`,
        questions: [`${m}要花多少钱`, `${s.name}收费吗`, `${alias}多少钱`, `${s.name}费用标准`],
        body: `关于${m}的费用：${s.fee}。如遇超标准收费或附加收费，可拨打12345或12315反映。`,
      };
    case 'online':
      return {
        title: `${m}网上办理`,
        questions: [`${m}能在网上办吗`, `${s.name}手机上怎么办`, `${alias}可以线上办理吗`, `${s.name}不用跑腿`],
        body: `${m}可以网上办理：${s.online}。按页面提示填写信息、上传材料照片后提交，可随时查看办理进度；确需到现场的，系统会提示预约时间。行动不便的老年人、残疾人可申请帮办代办服务。`,
      };
  }
}

export interface KnowledgeDemoOptions {
  readonly seed?: number;
  /** The newest `updated` time; entries were last updated in the two years before. */
  readonly now: number;
}

/** 300 demo entries (50 matters × 6 aspects), ordered by category and matter. */
export function demoKnowledge(options: KnowledgeDemoOptions): KnowledgeEntry[] {
  const seed = options.seed ?? 1;
  const day = 86_400_000;
  const entries: KnowledgeEntry[] = [];
  for (const s of SUBJECTS) {
    for (const aspect of ASPECTS) {
      const id = entryId(s, aspect);
      const rng = createRng(mixSeed(seed, hashString(id)));
      const written = write(s, aspect, rng);
      // Most answers are city-wide; some are a district's own (its department answers).
      const district = rng.chance(0.12) ? rng.int(1, DISTRICT_NAMES.length) : 0;
      const department = district ? s.department.replace(/示范市/g, DISTRICT_NAMES[district - 1] ?? '') : s.department;
      const updated = options.now - rng.int(3, 700) * day;
      const version = rng.int(1, 4);
      const year = 2019 + rng.int(0, 5);
      const questions = [...written.questions];
      // A phrasing dropped at random: real entries do not all carry the same four.
      if (rng.chance(0.4)) questions.splice(rng.int(1, questions.length - 1), 1);
      entries.push({
        id,
        title: district ? `${DISTRICT_NAMES[district - 1]}${written.title}` : written.title,
        questions,
        answer: `${rng.pick(OPENINGS)}${written.body}${rng.pick(CLOSINGS)}`,
        basis: [{ title: `〔示例〕${s.basis}`, number: `〔示例〕示${s.category.slice(0, 1)}〔${year}〕${rng.int(1, 40)}号` }],
        department: { name: department, contact: `${s.place}；咨询请拨打12345` },
        category: s.category,
        tags: [s.name, ...s.aliases],
        area: district ? `d${district}` : CITY_ID,
        validFrom: Date.UTC(year, 0, 1) - 8 * 3600_000,
        validUntil: rng.chance(0.1) ? Date.UTC(2027, 11, 31, 16) - 1 : null,
        source: `${department}答复口径（示例数据）`,
        updated,
        version,
        withdrawn: false,
      });
    }
  }
  return entries;
}

/** Who an answer may be for: the variants of a real knowledge base are mostly these. */
const GROUPS = [
  '老年人', '残疾人', '外地户籍人员', '退役军人', '低保家庭', '新就业大学生', '未成年人', '港澳台居民', '外籍人员', '农村居民',
  '灵活就业人员', '现役军人家属', '失独家庭', '孕产妇', '在校学生', '个体经营者', '企业职工', '离退休人员', '重度残疾人', '困难职工',
] as const;
/** The special case an answer deals with. */
const SITUATIONS = [
  ['委托他人代办', '委托他人代办的，受托人须携带本人身份证原件和经签字的委托书。'],
  ['材料原件丢失', '材料原件丢失的，可先到原出具单位补开证明，或在窗口签署承诺书容缺受理，并在十个工作日内补齐。'],
  ['逾期未办理', '逾期未办理的，不影响重新申请，但逾期期间的待遇不予补发。'],
  ['节假日办理', '法定节假日期间窗口暂停服务，可通过网上渠道提交，节后第一个工作日起按序受理。'],
  ['跨区办理', '跨区办理的，可在就近的便民服务中心提交材料，由窗口转至主管部门，结果邮寄到家。'],
  ['信息填写错误', '信息填写错误的，在审核通过前可自行撤回修改；审核通过后须到窗口申请更正。'],
  ['对结果有异议', '对办理结果有异议的，可在收到结果之日起六十日内申请行政复议，或在六个月内提起行政诉讼。'],
  ['行动不便', '行动不便的，可预约上门服务，工作人员携带设备到家中采集信息。'],
  ['首次办理', '首次办理的，建议先通过12345或网上平台预审材料，以免往返。'],
  ['系统故障无法提交', '因系统故障无法网上提交的，可保留页面截图，到窗口现场办理，不影响办理时限。'],
  ['夫妻一方外地户籍', '夫妻一方为外地户籍的，另需提供结婚证及外地户籍一方的户口簿。'],
  ['单位不配合', '所在单位不配合出具证明的，可向劳动保障监察机构投诉，由其督促单位出具。'],
] as const;
/** Characters street and place names are drawn from (凤翔路, 建设街): varied, as a city's are. */
const PLACE_CHARS = '凤翔建设和平解放人民友谊光明幸福团结胜利新华东风红旗朝阳长安永安太平中山文化青年工业农业商业金水银河碧水青山锦绣春华秋实海棠紫荆桂花梅兰竹菊松柏杨柳桃李嘉禾丰收康宁瑞祥吉庆兴隆昌盛富民安居乐业龙门白马洛浦伊川邙岭涧西瀍河西工老城';
const PLACE_KINDS = ['街道便民服务中心', '社区党群服务中心', '政务服务分中心', '区行政服务中心', '镇便民服务中心'];

const withoutOpening = (answer: string): string => {
  const opening = OPENINGS.find((o) => answer.startsWith(o));
  return opening ? answer.slice(opening.length) : answer;
};

export interface KnowledgeScaleOptions extends KnowledgeDemoOptions {
  /** How many entries: the 300 demo entries first, then variants of them (for `bench/cases/knowledge.ts`). */
  readonly count: number;
}

/**
 * `count` entries for measuring the knowledge base at the scale the centres
 * report (40,000): the demo's 300 (same ids and text) and then variants of
 * them, as a real base grows — one matter's answer for a group of people
 * (退役军人申请公租房), a special case (委托他人代办), an area (a district
 * or a street, with its own service centre and name), its own numbers.
 * Variant `n` of entry `kb-zf-gzf-cond` is `kb-zf-gzf-cond-v<n>`; each is
 * written from its own seeded stream, so the set is the same on every run
 * and nothing this large is stored in the repository.
 */
export function scaledKnowledge(options: KnowledgeScaleOptions): KnowledgeEntry[] {
  const seed = options.seed ?? 1;
  const base = demoKnowledge(options);
  const out = base.slice(0, options.count);
  const day = 86_400_000;
  const placeName = (rng: Rng) => `${PLACE_CHARS[rng.int(0, PLACE_CHARS.length - 1)] ?? ''}${PLACE_CHARS[rng.int(0, PLACE_CHARS.length - 1)] ?? ''}`;
  for (let i = 0; out.length < options.count; i++) {
    const from = base[i % base.length];
    if (!from) break;
    const id = `${from.id}-v${Math.floor(i / base.length) + 1}`;
    const rng = createRng(mixSeed(seed, hashString(id)));
    const group = rng.pick(GROUPS);
    const [situation, rule] = rng.pick(SITUATIONS);
    const district = rng.int(1, DISTRICT_NAMES.length);
    const street = rng.chance(0.5) ? rng.int(1, 6) : 0;
    const place = `${placeName(rng)}${rng.pick(PLACE_KINDS)}`;
    const areaName = `${DISTRICT_NAMES[district - 1] ?? ''}${street ? `${placeName(rng)}街道` : ''}`;
    const title = from.title.replace(/^(西工区|东城区|南湖区)/, '');
    const year = 2019 + rng.int(0, 6);
    const days = rng.int(1, 30);
    const fee = rng.chance(0.7) ? '不收取费用' : `每件收取工本费${rng.int(5, 80)}元`;
    out.push({
      ...from,
      id,
      title: rng.chance(0.5) ? `${areaName}${group}${title}` : `${title}（${situation}）`,
      questions: [
        `${group}${title.replace(/的?(条件|所需材料|办理流程|办理时限|收费标准|网上办理|受理范围)$/, '')}有什么不同`,
        `${situation}怎么办`,
        ...from.questions.slice(0, rng.int(1, from.questions.length)).map((q) => (rng.chance(0.5) ? `${areaName}${q}` : q)),
      ],
      answer: [
        rng.pick(OPENINGS),
        `${areaName}的${group}${title.replace(/的?(条件|所需材料|办理流程|办理时限|收费标准|网上办理|受理范围)$/, '')}，按以下口径办理。`,
        withoutOpening(from.answer),
        rule,
        `${areaName}可到${place}办理，自受理之日起${days}个工作日内办结，${fee}。`,
        `本口径自${year}年${rng.int(1, 12)}月起执行。`,
      ].join(''),
      basis: [...from.basis, { title: `〔示例〕${areaName}${group}服务保障细则`, number: `〔示例〕${DISTRICT_NAMES[district - 1]?.slice(0, 2) ?? ''}〔${year}〕${rng.int(1, 99)}号` }],
      department: { name: `${DISTRICT_NAMES[district - 1] ?? ''}${from.department.name.replace(/^(示范市|西工区|东城区|南湖区)/, '')}`, contact: `${place}；咨询请拨打12345` },
      tags: [...from.tags, group, situation],
      area: street ? `d${district}-s${street}` : `d${district}`,
      validFrom: Date.UTC(year, 0, 1) - 8 * 3600_000,
      updated: options.now - rng.int(1, 900) * day,
      version: rng.int(1, 6),
    });
  }
  return out;
}

/** Synonyms an admin of the demo centre has added: what people say next to what the answers say. */
export const DEMO_SYNONYMS: readonly (readonly string[])[] = [
  ['电梯', '升降梯', '直梯'],
  ['噪声', '噪音'],
  ['户口', '户籍'],
  ['医保', '医疗保险'],
  ['社保', '社会保险', '养老保险'],
  ['公租房', '公屋', '保障房'],
  ['身份证', '二代证'],
  ['驾驶证', '驾照', '驾驶本'],
  ['违章', '违法'],
  ['营业执照', '执照'],
  ['孩子', '小孩', '娃', '宝宝', '儿童'],
  ['上学', '入学', '读书'],
  ['材料', '资料', '证件'],
  ['多久', '时限', '几天', '多长时间'],
  ['多少钱', '收费', '费用'],
  ['网上', '线上', '手机上'],
  ['垃圾', '废品'],
  ['退休', '养老金'],
  ['过户', '转移登记'],
];
