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
