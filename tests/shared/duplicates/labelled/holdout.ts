/**
 * Held-out hand-written pairs. Written after the detector's rules, weights,
 * threshold and problem-kind list (shared/duplicates/problems.ts) were fixed
 * on the generated pairs and the first hand-written set (hand.ts), and
 * measured once, without changing the detector afterwards: the figures on
 * this set are the honest estimate for text the detector was not shaped on.
 * Several problems here are outside the problem-kind list on purpose
 * (advertising boards, abandoned vehicles, falling tiles, river litter).
 */
import type { DuplicateCandidate, DuplicateProbe } from '#shared/duplicates/detect.ts';
import type { OrderType } from '#shared/order/intake.ts';
import type { LabelledPair, PairKind } from './pair.ts';

export const HOLDOUT_NOW = Date.UTC(2026, 2, 23, 3, 0); // 11:00 CST
const HOUR = 60 * 60 * 1000;

interface Said {
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly type?: OrderType;
  readonly category?: string;
  readonly caller?: string | null;
  readonly hoursBefore?: number;
}

let count = 0;
function pair(kind: PairKind, duplicate: boolean, a: Said, b: Said, note?: string): LabelledPair {
  count += 1;
  const id = `holdout-${String(count).padStart(2, '0')}`;
  const first: DuplicateCandidate = {
    id: `${id}-a`,
    orderNo: `2603${String(800000 + count).padStart(8, '0')}`,
    receivedAt: HOLDOUT_NOW - (a.hoursBefore ?? 40) * HOUR,
    status: 'dispatched',
    type: a.type ?? 'help',
    category: a.category ?? '城市管理',
    title: a.title,
    content: a.content,
    address: a.address,
    phone: a.caller ?? null,
  };
  const second: DuplicateProbe = {
    id: `${id}-b`,
    receivedAt: HOLDOUT_NOW,
    type: b.type ?? 'help',
    category: b.category ?? '城市管理',
    title: b.title,
    content: b.content,
    address: b.address,
    phone: b.caller ?? null,
  };
  return { id, source: 'holdout', kind, duplicate, first, second, ...(note ? { note } : {}) };
}

const AIRCON: Said = {
  title: '金色嘉苑6号楼1单元楼下饭店空调外机噪音大',
  content: '金色嘉苑6号楼1单元一楼饭店的空调外机装在居民窗户底下，24小时嗡嗡响，晚上根本睡不着。',
  address: '九都路140号金色嘉苑6号楼1单元',
  type: 'complaint',
  category: '噪声污染',
  caller: '13937966021',
};
const BOARD: Said = {
  title: '唐宫路15号楼顶广告牌松动',
  content: '唐宫路15号商业楼楼顶的大广告牌被风吹得摇摇晃晃，有一角已经掀起来了，下面是公交站，怕砸到人。',
  address: '西工区唐宫路15号',
  caller: '15093712288',
};
const WRECK: Said = {
  title: '丽水花园门口僵尸车长期占用车位',
  content: '丽水花园门口路边停着一辆白色面包车，落满灰，轮胎都瘪了，停了半年多没人动。',
  address: '丽水花园门口',
  caller: '18790011234',
};
const TILES: Said = {
  title: '红山路31号院2号楼外墙瓷砖脱落',
  content: '红山路31号院2号楼外墙瓷砖一块块往下掉，昨天差点砸到楼下玩的小孩。',
  address: '红山路31号院2号楼',
  category: '住房',
  caller: '13598765432',
};
const RIVER: Said = {
  title: '涧河凯旋路桥段河面漂浮垃圾',
  content: '凯旋路桥下涧河河面上漂了很多塑料袋和泡沫，还有死鱼，味道很难闻。',
  address: '凯旋路涧河桥',
  caller: '17603790456',
};
const WIRES: Said = {
  title: '九都路小区3号楼飞线充电',
  content: '九都路小区3号楼有住户从三楼窗户拉电线下来给电动车充电，线就搭在一楼防盗窗上，下雨天很危险。',
  address: '九都路小区3号楼',
  caller: '13303791188',
  hoursBefore: 75,
};
const SIGN: Said = {
  title: '王城大道与唐宫路交叉口公交站牌倒地',
  content: '王城大道唐宫路口北侧的公交站牌被车撞倒了，躺在人行道上。',
  address: '王城大道与唐宫路交叉口北侧',
  category: '交通设施',
  caller: '15537922001',
  hoursBefore: 6,
};
const ROOFTOP: Said = {
  title: '锦华花园12号楼顶楼违建',
  content: '锦华花园12号楼顶楼住户在楼顶私自加盖了一间彩钢房，施工噪音大，还占了公共楼顶。',
  address: '锦华花园12号楼',
  caller: '18937945566',
};
const GATE: Said = {
  title: '丽水花园北门门禁坏了',
  content: '丽水花园北门的门禁坏了半个月，外面的人随便进，晚上电动车被偷了两辆。',
  address: '丽水花园北门',
  category: '住房',
  caller: '13083799090',
};
const ROOTS: Said = {
  title: '唐宫路52号门前行道树树根拱起人行道',
  content: '唐宫路52号门口那棵大杨树的树根把人行道砖拱起来了，老人走路经常绊倒。',
  address: '唐宫路52号',
  caller: '15936700012',
};
const NEWBORN: Said = {
  title: '咨询新生儿落户办理',
  content: '孩子刚出生，想问给孩子上户口需要什么材料，在哪个派出所办？',
  address: '九都路小区',
  type: 'enquiry',
  category: '公共服务',
  caller: '18203796677',
  hoursBefore: 20,
};
const FRUIT: Said = {
  title: '九都路88号水果店占道经营',
  content: '九都路88号水果店把水果摊摆到人行道上，占了一大半，行人只能走马路。',
  address: '九都路88号',
  type: 'complaint',
  caller: '13700379123',
};
const UPSTAIRS: Said = {
  title: '金色嘉苑3号楼2单元楼上漏水',
  content: '金色嘉苑3号楼2单元401家里卫生间漏水，水从我家301天花板往下滴，找楼上人家不开门。',
  address: '金色嘉苑3号楼2单元301室',
  category: '住房',
  caller: '15803793344',
  hoursBefore: 60,
};
const HEATING: Said = {
  title: '明珠小区5号楼整栋楼暖气不热',
  content: '明珠小区5号楼整栋楼暖气都不热，邻居家都是十五六度，物业说是热力公司的事。',
  address: '明珠小区5号楼',
  category: '住房',
  caller: '13525401199',
};

export const HOLDOUT_PAIRS: readonly LabelledPair[] = [
  // ---- The same matter ----------------------------------------------------
  pair('reworded', true, AIRCON, {
    title: '金色嘉苑6号楼底商空调外机扰民',
    content: '6号楼下面那个饭馆的空调外机对着我们卧室，半夜都在响，老人心脏不好受不了，让他们挪一挪。',
    address: '金色嘉苑6号楼',
    type: 'complaint',
    category: '噪声污染',
    caller: '18638820915',
  }),
  pair('reworded', true, BOARD, {
    title: '唐宫路公交站上方广告牌有坠落危险',
    content: '唐宫路15号那栋楼上的广告牌快掉下来了，一刮风就哐哐响，公交站好多人等车。',
    address: '唐宫路15号',
    caller: '13849901234',
  }),
  pair('reworded', true, WRECK, {
    title: '丽水花园大门外有辆废弃面包车',
    content: '丽水花园大门外那辆破面包车扔了大半年了，车里还堆着垃圾，招老鼠，麻烦拖走。',
    address: '丽水花园大门外',
    caller: '15038812345',
  }),
  pair('reworded', true, TILES, {
    title: '31号院2号楼外墙掉砖',
    content: '红山路31号院二号楼外墙的瓷砖又掉了几块，楼下是小孩玩的地方，太危险了，物业只拉了根绳子。',
    address: '红山路31号院二号楼',
    category: '住房',
    caller: '17737955120',
  }),
  pair('reworded', true, RIVER, {
    title: '涧河凯旋路桥附近河道脏',
    content: '涧河凯旋路桥那一段河里全是垃圾，发臭，夏天蚊子多，没人打捞。',
    address: '凯旋路涧河桥附近',
    caller: '13663790021',
  }),
  pair('same_caller', true, WIRES, {
    title: '九都路小区3号楼仍有人飞线充电',
    content: '九都路小区3号楼还有人从楼上吊线给电瓶车充电，上次反映后没人来管。',
    address: '九都路小区3号楼',
    caller: '13303791188',
  }),
  pair('reworded', true, SIGN, {
    title: '唐宫路王城大道路口站牌被撞倒',
    content: '唐宫路和王城大道路口那个公交站牌倒了，横在人行道上挡路，等车的人都不知道站在哪。',
    address: '唐宫路王城大道路口北侧',
    category: '交通设施',
    caller: '18237988001',
  }),
  pair('reworded', true, ROOFTOP, {
    title: '锦华花园12号楼楼顶有人私搭房屋',
    content: '12号楼顶层那家在楼顶搭房子，天天电钻响，楼顶是公共部位，他凭什么占，请城管来查。',
    address: '锦华花园12号楼楼顶',
    caller: '15937912300',
  }),
  pair('no_phone', true, GATE, {
    title: '丽水花园北门门禁损坏外来人员随意进出',
    content: '来电人反映丽水花园北门门禁系统长期损坏，外来人员随意进出小区，存在安全隐患，要求物业尽快维修。',
    address: '丽水花园北门',
    category: '住房',
  }),
  pair(
    'reworded',
    true,
    {
      title: '九都路与春都路交叉口井盖响',
      content: '九都路春都路路口的井盖松了，车一过就咣咣响，半夜吵得睡不着。',
      address: '九都路与春都路交叉口',
      caller: '13837900432',
    },
    {
      title: '春都路九都路口井盖异响扰民',
      content: '春都路与九都路交叉口的检查井盖松动，过车时发出很大响声，影响周边居民休息。',
      address: '春都路与九都路交叉口',
      caller: '15824577810',
    },
  ),
  pair(
    'reworded',
    true,
    HEATING,
    {
      title: '明珠小区五号楼供暖温度不达标',
      content: '我家住明珠小区五号楼，这几天屋里才十四度，一栋楼都这样，打热力公司电话一直占线。',
      address: '明珠小区5号楼',
      category: '住房',
      caller: '18538830044',
    },
    'the whole building is cold: one fault, one visit',
  ),
  pair('reworded', true, ROOTS, {
    title: '唐宫路人行道地砖被树根顶起',
    content: '唐宫路五十号附近人行道地砖被树根顶得高低不平，我妈前天在那摔了一跤。',
    address: '唐宫路50号附近',
    caller: '13937900987',
  }),
  pair('enquiry_again', true, NEWBORN, {
    title: '新生儿上户口材料咨询',
    content: '之前打电话问过给新生儿办户口的事，还想确认一下出生证明和结婚证要不要原件。',
    address: '九都路小区',
    type: 'enquiry',
    category: '公共服务',
    caller: '18203796677',
  }),
  pair('reworded', true, FRUIT, {
    title: '九都路水果店门前占用人行道',
    content: '九都路八十八号那家水果店的摊子都摆出来了，人行道走不了，推婴儿车的只能下马路。',
    address: '九都路88号门前',
    type: 'complaint',
    caller: '15890661230',
  }),
  pair('same_caller', true, UPSTAIRS, {
    title: '楼上漏水仍未解决',
    content: '楼上漏水到我家的事还没解决，天花板都泡烂了，物业也联系不上楼上业主。',
    address: '金色嘉苑3-2-301',
    category: '住房',
    caller: '15803793344',
  }),

  // ---- Not the same matter ----------------------------------------------------
  pair('same_type_nearby', false, TILES, {
    title: '红山路31号院5号楼外墙瓷砖脱落',
    content: '红山路31号院5号楼外墙瓷砖脱落，楼下停的车被砸了，请物业处理。',
    address: '红山路31号院5号楼',
    category: '住房',
    caller: '13783790011',
  }),
  pair('same_address_other_problem', false, AIRCON, {
    title: '金色嘉苑6号楼门口下水道堵塞',
    content: '金色嘉苑6号楼门口的下水道堵了，污水漫到路上，进出单元门都得踩水。',
    address: '金色嘉苑6号楼1单元',
    category: '市政',
    caller: '13663798001',
  }),
  pair('same_address_other_problem', false, SIGN, {
    title: '建议王城大道与唐宫路交叉口早高峰增派交警',
    content: '王城大道与唐宫路交叉口早高峰堵得厉害，车辆加塞抢行，建议早上安排交警疏导。',
    address: '王城大道与唐宫路交叉口',
    type: 'suggestion',
    category: '交通设施',
    caller: '15937900321',
  }),
  pair(
    'same_address_other_problem',
    false,
    FRUIT,
    {
      title: '九都路88号水果店缺斤少两',
      content: '在九都路88号水果店买了五斤苹果，回家一称只有四斤二两，老板不承认。',
      address: '九都路88号',
      type: 'complaint',
      category: '营商环境',
      caller: '18790055667',
    },
    'the same shop, a matter for market regulation',
  ),
  pair(
    'same_address_other_problem',
    false,
    WIRES,
    {
      title: '九都路小区3号楼消防通道被占',
      content: '九都路小区3号楼楼下消防通道被几辆私家车长期占着，物业不管。',
      address: '九都路小区3号楼',
      category: '交通设施',
      caller: '13303791188',
    },
    'the same caller about something else',
  ),
  pair('same_type_far', false, RIVER, {
    title: '涧河王城大道桥段河面漂浮物',
    content: '王城大道桥下的涧河河面有很多漂浮垃圾和水草，看着很脏。',
    address: '王城大道涧河桥',
    caller: '15136789012',
  }),
  pair(
    'same_type_nearby',
    false,
    GATE,
    {
      title: '丽水花园南门道闸故障',
      content: '丽水花园南门车辆道闸坏了，车进出要保安手动抬杆，早上排长队。',
      address: '丽水花园南门',
      category: '住房',
      caller: '15617900088',
    },
    'the other gate, another device',
  ),
  pair('same_type_nearby', false, HEATING, {
    title: '明珠小区8号楼3单元暖气不热',
    content: '明珠小区8号楼3单元家里暖气不热，屋里十五度，家里有老人。',
    address: '明珠小区8号楼3单元',
    category: '住房',
    caller: '13937966550',
  }),
  pair('same_type_far', false, ROOTS, {
    title: '唐宫路180号门前人行道地砖松动',
    content: '唐宫路180号门前人行道地砖松动翘起，下雨踩上去溅一身泥水。',
    address: '唐宫路180号',
    caller: '18336790077',
  }),
  pair('enquiry_other_caller', false, NEWBORN, {
    title: '咨询新生儿办理户口',
    content: '家里刚添了孩子，想问问上户口要带哪些材料，去哪里办？',
    address: '九都路小区',
    type: 'enquiry',
    category: '公共服务',
    caller: '15003790032',
  }),
  pair(
    'same_address_other_problem',
    false,
    AIRCON,
    {
      title: '金色嘉苑6号楼楼上住户夜间噪音',
      content: '金色嘉苑6号楼1单元楼上住户天天半夜拖椅子、跺脚，咚咚响，沟通了也不听。',
      address: '金色嘉苑6号楼1单元',
      type: 'complaint',
      category: '噪声污染',
      caller: '13837955000',
    },
    'noise in the same entrance from another source',
  ),
  pair(
    'same_address_other_problem',
    false,
    ROOFTOP,
    {
      title: '锦华花园12号楼一楼住户私自破墙开门',
      content: '锦华花园12号楼一楼住户把阳台墙打掉开了个门做生意，破坏承重墙，请住建部门查处。',
      address: '锦华花园12号楼',
      category: '住房',
      caller: '17603795500',
    },
    'another alteration of the same building by another owner',
  ),
  pair(
    'same_type_nearby',
    false,
    UPSTAIRS,
    {
      title: '金色嘉苑3号楼2单元502室卫生间漏水',
      content: '金色嘉苑3号楼2单元502室卫生间漏水，楼下402天花板都湿了，请物业协调。',
      address: '金色嘉苑3号楼2单元502室',
      category: '住房',
      caller: '15038890011',
    },
    'another leak, two floors up',
  ),
  pair('same_address_other_problem', false, RIVER, {
    title: '凯旋路涧河桥栏杆断裂',
    content: '凯旋路涧河桥东侧栏杆断了一截，小孩在桥上跑很危险。',
    address: '凯旋路涧河桥',
    category: '交通设施',
    caller: '13598700066',
  }),
  pair('unrelated', false, FRUIT, {
    title: '丽水花园电梯困人',
    content: '丽水花园7号楼电梯突然停了，里面困了两个人，物业电话打不通。',
    address: '丽水花园7号楼',
    category: '住房',
    caller: '18203790004',
  }),
];
