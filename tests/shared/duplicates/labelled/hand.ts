/**
 * Hand-written labelled pairs, in the words 12345 callers and operators use,
 * several around the seven real cases of demo/real-cases.ts. Written apart
 * from the template generator, with hard cases on purpose: another corner of
 * the same crossing, another flat in the same unit, the same caller about
 * something else, water problems that are not the same problem. Labels follow
 * the rule in docs/DUPLICATES.md; a note says why where it is arguable.
 */
import type { DuplicateCandidate, DuplicateProbe } from '#shared/duplicates/detect.ts';
import type { OrderType } from '#shared/order/intake.ts';
import type { Location } from '#shared/order/values.ts';
import type { LabelledPair, PairKind } from './pair.ts';

export const HAND_NOW = Date.UTC(2026, 2, 20, 6, 0); // 14:00 CST
const HOUR = 60 * 60 * 1000;

interface Said {
  readonly title: string;
  readonly content: string;
  readonly address: string;
  readonly type?: OrderType;
  readonly category?: string;
  /** A key of CALLERS, or none (a portal import without the number). */
  readonly caller?: keyof typeof CALLERS;
  readonly location?: Location;
  /** Hours before the second order; only for the first. */
  readonly hoursBefore?: number;
}

const CALLERS = {
  zhang: '13837912345',
  li: '15903791122',
  wang: '18638855201',
  zhao: '13525406678',
  chen: '17737901234',
  liu: '13903790087',
  sun: '15137956610',
  zhou: '18237923456',
  wu: '13663798899',
  zheng: '15838812370',
} as const;

const fix = (lat: number, lng: number, accuracy = 15): Location => ({ kind: 'fix', position: { lat, lng, accuracy } });

let count = 0;
function hand(kind: PairKind, duplicate: boolean, a: Said, b: Said, note?: string): LabelledPair {
  count += 1;
  const id = `hand-${String(count).padStart(2, '0')}`;
  const first: DuplicateCandidate = {
    id: `${id}-a`,
    orderNo: `2603${String(900000 + count).padStart(8, '0')}`,
    receivedAt: HAND_NOW - (a.hoursBefore ?? 30) * HOUR,
    status: 'in_progress',
    type: a.type ?? 'help',
    category: a.category ?? '城市管理',
    title: a.title,
    content: a.content,
    address: a.address,
    phone: a.caller ? CALLERS[a.caller] : null,
    location: a.location ?? null,
  };
  const second: DuplicateProbe = {
    id: `${id}-b`,
    receivedAt: HAND_NOW,
    type: b.type ?? 'help',
    category: b.category ?? '城市管理',
    title: b.title,
    content: b.content,
    address: b.address,
    phone: b.caller ? CALLERS[b.caller] : null,
    location: b.location ?? null,
  };
  return { id, source: 'hand', kind, duplicate, first, second, ...(note ? { note } : {}) };
}

// The real cases, as first written (demo/real-cases.ts).
const SEWER: Said = {
  title: '凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水',
  content: '凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水，路面全是污水，气味很大，已经好几天了，请尽快派人疏通。',
  address: '西工区凯旋路与株洲路交叉口东侧',
  category: '市政',
  caller: 'zhang',
};
const TREE: Said = {
  title: '步行街两侧梧桐树因大风枝干断裂，存在安全隐患',
  content: '步行街两侧梧桐树因大风枝干断裂，存在安全隐患。有几根大树枝还挂在半空，下面行人很多，请尽快处理。',
  address: '西工区凯旋路步行街北段',
  caller: 'li',
};
const MANHOLE: Said = {
  title: '北海路与中州路交叉口西南角下水道井盖缺损',
  content: '北海路与中州路交叉口西南角下水道井盖缺损，晚上看不清，行人和电动车很容易掉进去，请尽快处理。',
  address: '西工区北海路与中州路交叉口西南角',
  caller: 'wang',
};
const LOUDSPEAKER: Said = {
  title: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休',
  content: '株洲路两家餐饮店用大喇叭播放录音揽客，影响午休。两家店门口循环播放，从早到晚不停，中午根本没法休息，希望管一管。',
  address: '西工区株洲路18号、20号',
  type: 'complaint',
  category: '噪声污染',
  caller: 'zhao',
};
const BOX: Said = {
  title: '通信箱安装在市民家外墙，影响装修',
  content: '市民来电反映：通信箱安装在市民家外墙，影响装修。运营商装箱前没有打招呼，现在家里装修要动外墙，通信箱挡着没法施工，要求移走。',
  address: '西工区株洲路社区3号楼2单元',
  type: 'complaint',
  category: '公共服务',
  caller: 'chen',
  hoursBefore: 72,
};
const SCHOOL: Said = {
  title: '魏风小学校门西侧十字路口人车混流',
  content: '魏风小学校门西侧十字路口人车混流，上下学时接送车辆和学生挤在一起，非常危险，建议设置护栏和信号灯。',
  address: '西工区魏风小学校门西侧十字路口',
  type: 'suggestion',
  category: '交通设施',
  caller: 'liu',
  hoursBefore: 96,
};
const BASEMENT: Said = {
  title: '彭西四巷26号院8号楼地下室漏水',
  content: '彭西四巷26号院8号楼地下室漏水，积水有十几公分，放的东西都泡了，物业一直没有处理。',
  address: '西工区彭西四巷26号院8号楼',
  category: '住房',
  caller: 'sun',
};

// Others, written for this set.
const HEATING: Said = {
  title: '阳光家园12号楼3单元502室暖气不热',
  content: '家里暖气不热，室温只有16度，家里有八十多岁的老人和刚满月的孩子，请协调热力公司上门看看。',
  address: '西工区凯旋路18号阳光家园12号楼3单元502室',
  category: '住房',
  caller: 'zhou',
  hoursBefore: 50,
};
const LIFT: Said = {
  title: '锦华花园7号楼2单元电梯频繁故障',
  content: '锦华花园7号楼2单元电梯这周停了两次，今天又坏了，住十几楼的老人下不了楼，物业说在等配件。',
  address: '锦华花园7号楼2单元',
  category: '住房',
  caller: 'wu',
};
const RUBBISH: Said = {
  title: '北海小区3号楼西侧垃圾站垃圾堆积',
  content: '北海小区3号楼西侧垃圾站的垃圾已经堆了四五天没人清运，垃圾袋都堆到路上了，天热臭味很大。',
  address: '北海路47号北海小区',
  caller: 'zheng',
};
const SITE_NOISE: Said = {
  title: '凯旋路88号工地夜间施工扰民',
  content: '凯旋路88号对面的工地每天夜里十二点还在浇混凝土，搅拌车来回跑，噪音太大，周边居民休息不好。',
  address: '西工区凯旋路88号',
  type: 'complaint',
  category: '噪声污染',
  caller: 'li',
};
const WAGES: Said = {
  title: '反映北海路一在建工地拖欠农民工工资',
  content: '我们在北海路120号旁边的工地干活，包工头欠我们二十多个人四个月工资，一共十几万，找了好几次都说没钱。',
  address: '北海路120号',
  category: '劳动和社会保障',
  caller: 'sun',
};

export const HAND_PAIRS: readonly LabelledPair[] = [
  // ---- The same matter ----------------------------------------------------
  hand('reworded', true, SEWER, {
    title: '株洲路凯旋路口下水道冒水',
    content: '株洲路和凯旋路交叉的那个路口，下水道往外冒脏水，整条路都是臭水，走路都没法走，赶紧找人来通一通。',
    address: '株洲路凯旋路路口',
    category: '市政',
    caller: 'wu',
  }),
  hand('reworded', true, TREE, {
    title: '凯旋路步行街梧桐树断枝悬挂',
    content: '凯旋路步行街北头有棵梧桐树，昨天刮大风树杈断了，还挂在树上没掉下来，底下人来人往的，万一砸到人怎么办。',
    address: '凯旋路步行街',
    caller: 'zheng',
  }),
  hand('reworded', true, MANHOLE, {
    title: '中州路北海路口井盖缺失',
    content: '中州路北海路路口西南角那个井盖缺了一块，晚上骑车差点掉进去，赶紧修一下。',
    address: '中州路与北海路路口西南角',
    caller: 'chen',
  }),
  hand(
    'reworded',
    true,
    LOUDSPEAKER,
    {
      title: '株洲路饭店门口喇叭揽客噪音扰民',
      content: '株洲路18号那家饭店门口天天放喇叭招揽顾客，吵死了，中午没法休息。',
      address: '株洲路18号',
      type: 'complaint',
      category: '噪声污染',
      caller: 'liu',
    },
    'one of the two shops named in the first order',
  ),
  hand('same_caller', true, BOX, {
    title: '催办：通信箱仍未移除',
    content: '上次反映的通信箱还没挪走，我家外墙装修一直停着，运营商到底什么时候来移？',
    address: '株洲路社区3号楼2单元',
    type: 'complaint',
    category: '公共服务',
    caller: 'chen',
  }),
  hand('reworded', true, SCHOOL, {
    title: '建议魏风小学西侧路口加装红绿灯',
    content: '魏风小学西边路口每天放学的时候家长的车和学生挤成一团，太危险了，建议装个红绿灯，派个交警。',
    address: '魏风小学西侧路口',
    type: 'suggestion',
    category: '交通设施',
    caller: 'zhang',
  }),
  hand('reworded', true, BASEMENT, {
    title: '彭西四巷二十六号院地下室进水',
    content: '彭西四巷二十六号院八号楼地下室进水了，水有一拃深，储藏室东西全泡了，物业不管。',
    address: '彭西四巷26号院8栋',
    category: '住房',
    caller: 'zhou',
  }),
  hand(
    'reworded',
    true,
    {
      title: '幸福花园北门路灯不亮',
      content: '幸福花园北门外面那一排路灯这几天晚上都不亮，黑咕隆咚的，老人晚上出来遛弯不安全。',
      address: '凯旋路56号幸福花园北门',
      category: '市政',
      caller: 'zhao',
    },
    {
      title: '幸福花园北门口路灯损坏',
      content: '北海路幸福花园北门口的路灯坏了好几天了，晚上出门啥也看不见，请派人修一下。',
      address: '幸福花园北门',
      category: '市政',
      caller: 'li',
    },
  ),
  hand('same_caller', true, HEATING, {
    title: '暖气不热问题仍未解决',
    content: '我家暖气还是不热，上次打过电话了，热力公司一直没人来，屋里冷得没法待。',
    address: '阳光家园12-3-502',
    category: '住房',
    caller: 'zhou',
  }),
  hand('reworded', true, LIFT, {
    title: '锦华花园七栋电梯又停运',
    content: '锦华花园七栋二单元的电梯又停了，住高层的老年人出不了门，物业说在等配件，啥时候能修好？',
    address: '锦华花园七栋二单元',
    category: '住房',
    caller: 'zheng',
  }),
  hand('reworded', true, RUBBISH, {
    title: '北海小区垃圾站垃圾无人清运',
    content: '北海小区垃圾站那边垃圾堆成山了，好几天没人拉，臭得很，夏天苍蝇到处飞。',
    address: '北海小区',
    caller: 'wang',
  }),
  hand(
    'reworded',
    true,
    SITE_NOISE,
    {
      title: '凯旋路工地深夜施工',
      content: '凯旋路90号附近那个工地，晚上十一二点还在打灰，罐车轰隆隆的，一晚上睡不着。',
      address: '凯旋路90号附近',
      type: 'complaint',
      category: '噪声污染',
      caller: 'chen',
    },
    '90 and 88 face each other across the road: the same site',
  ),
  hand(
    'no_phone',
    true,
    {
      title: '和谐家园消防通道被私家车占用',
      content: '和谐家园消防通道天天晚上停满私家车，前天楼里老人犯病，救护车进不来，耽误了十几分钟。',
      address: '北海路9号和谐家园',
      category: '交通设施',
      caller: 'liu',
    },
    {
      title: '和谐家园小区消防通道长期被占',
      content: '和谐家园小区内消防通道长期停放私家车，存在安全隐患，请物业和交警处理。',
      address: '和谐家园',
      category: '交通设施',
    },
  ),
  hand(
    'reworded',
    true,
    {
      title: '康乐新村5号楼1单元楼道有燃气味',
      content: '康乐新村5号楼1单元楼道里一股燃气味，从昨天晚上就有，担心漏气。',
      address: '康乐新村5号楼1单元',
      category: '公共服务',
      caller: 'wu',
    },
    {
      title: '康乐新村楼道煤气味',
      content: '康乐新村5栋1单元楼梯间一股煤气味，邻居都闻到了，怕出事，赶紧让燃气公司来查查。',
      address: '康乐新村5栋1单元',
      category: '公共服务',
      caller: 'sun',
    },
  ),
  hand(
    'reworded',
    true,
    WAGES,
    {
      title: '北海路120号工地欠薪',
      content: '北海路120号那个在建工地拖欠工人工资，我们二十几个人四个多月没拿到钱了，找项目部也找不到人。',
      address: '北海路120号工地',
      category: '劳动和社会保障',
      caller: 'zhang',
    },
    'another worker of the same crew: one collective wage claim, handled once',
  ),
  hand(
    'reworded',
    true,
    {
      title: '株洲路与白马巷交叉口积水严重',
      content: '株洲路与白马巷交叉口一下雨就积水，水深到小腿，电动车都熄火了。',
      address: '株洲路与白马巷交叉口',
      category: '市政',
      caller: 'zheng',
    },
    {
      title: '白马巷株洲路口雨后积水',
      content: '白马巷株洲路十字路口雨后积水严重，车过去溅人一身，行人过不去。',
      address: '白马巷株洲路十字路口',
      category: '市政',
      caller: 'wang',
    },
  ),
  hand(
    'reworded',
    true,
    {
      title: '银杏嘉苑周边流浪犬较多',
      content: '银杏嘉苑周边流浪狗越来越多，晚上成群结队叫，还追过人，存在伤人隐患。',
      address: '银杏嘉苑',
      type: 'other',
      caller: 'li',
    },
    {
      title: '银杏嘉苑野狗追咬小孩',
      content: '银杏嘉苑附近一群野狗，昨晚追着一个小孩跑，家长都不敢让孩子下楼了。',
      address: '银杏嘉苑附近',
      type: 'other',
      caller: 'zhou',
    },
  ),
  hand(
    'located',
    true,
    {
      title: '凯旋路地铁站B口共享单车乱停放',
      content: '凯旋路地铁站B口共享单车乱停，把盲道和出站口都堵了。',
      address: '凯旋路地铁站B口',
      type: 'other',
      caller: 'chen',
      location: fix(34.63012, 112.45233),
    },
    {
      title: '地铁口单车占用盲道',
      content: '凯旋路地铁口单车把盲道全占了，推轮椅都过不去，让共享单车公司来收一收。',
      address: '凯旋路地铁口',
      type: 'other',
      caller: 'wu',
      location: fix(34.63031, 112.45251, 20),
    },
  ),
  hand('same_caller', true, {
    title: '北海路33号烧烤店油烟扰民',
    content: '北海路33号楼下烧烤店油烟直排，我家在二楼，窗户都不敢开。',
    address: '北海路33号',
    type: 'complaint',
    caller: 'sun',
    hoursBefore: 80,
  }, {
    title: '烧烤店油烟及夜间噪音',
    content: '北海路33号楼下烧烤店油烟还是直接排，味道呛人，晚上还在外面摆桌子吵到半夜。',
    address: '北海路33号1楼',
    type: 'complaint',
    caller: 'sun',
  }),
  hand(
    'reworded',
    true,
    {
      title: '明珠小区突然停水',
      content: '明珠小区今天上午突然停水，也没有通知，家里老人做不了饭。',
      address: '明珠小区',
      category: '公共服务',
      caller: 'liu',
      hoursBefore: 5,
    },
    {
      title: '明珠小区停水至今未恢复',
      content: '明珠小区一直没水，到现在下午两点了还没来水，做饭都没法做，问一下什么时候恢复？',
      address: '凯旋路72号明珠小区',
      category: '公共服务',
      caller: 'zhang',
    },
  ),
  hand('same_caller', true, {
    title: '怡景花园9号楼顶楼漏雨',
    content: '怡景花园9号楼顶层，一下雨屋顶就往下滴水，墙面都霉了，物业一直推。',
    address: '怡景花园9号楼',
    category: '住房',
    caller: 'wang',
    hoursBefore: 120,
  }, {
    title: '顶楼漏雨物业不修',
    content: '怡景花园9号楼6楼顶层，昨天下雨屋里又漏了，墙都泡了，物业说没钱修。',
    address: '怡景花园9号楼6楼',
    category: '住房',
    caller: 'wang',
  }),
  hand('enquiry_again', true, {
    title: '咨询适龄儿童入学划片',
    content: '户口在北海小区，孩子今年九月上一年级，想问一下对口哪个小学，什么时候报名？',
    address: '北海小区',
    type: 'enquiry',
    category: '教育管理',
    caller: 'zhao',
    hoursBefore: 26,
  }, {
    title: '再次咨询入学划片',
    content: '昨天问的入学划片还没人回电话，我想知道北海小区对口哪个学校，什么时候报名。',
    address: '北海小区',
    type: 'enquiry',
    category: '教育管理',
    caller: 'zhao',
  }),
  hand(
    'located',
    true,
    {
      title: '凯旋路与北海路交叉口信号灯故障',
      content: '凯旋路北海路路口红绿灯不亮，车辆乱行，很容易出事故。',
      address: '凯旋路与北海路交叉口',
      category: '交通设施',
      caller: 'zheng',
      location: fix(34.62548, 112.44871),
    },
    {
      title: '凯旋路大路口信号灯坏了',
      content: '凯旋路上那个大路口信号灯坏了一上午了，车都乱开，交警也没来。',
      address: '凯旋路',
      category: '交通设施',
      caller: 'li',
      location: fix(34.62571, 112.44890, 25),
    },
  ),
  hand(
    'reworded',
    true,
    {
      title: '北海路65号门前路面塌陷',
      content: '北海路65号门前路面塌陷一个坑，晚上看不清，已经有电动车摔倒了。',
      address: '北海路65号',
      category: '交通设施',
      caller: 'wu',
    },
    {
      title: '北海路人行道塌陷',
      content: '北海路63号门口人行道塌了一个坑，有半米深，已经有人崴脚了，得赶紧围起来。',
      address: '北海路63号门口',
      category: '交通设施',
      caller: 'zhou',
    },
    'the next door number, the same hole seen from the pavement',
  ),
  hand(
    'reworded',
    true,
    {
      title: '书香小区广场舞噪音扰民',
      content: '书香小区中心广场每晚跳广场舞，音响开得很大，一直到十点，孩子没法学习。',
      address: '书香小区',
      type: 'complaint',
      category: '噪声污染',
      caller: 'chen',
    },
    {
      title: '小区广场跳舞音响太吵',
      content: '书香小区中心广场晚上跳舞的音箱太响了，九点多了还在放，老人孩子都休息不好。',
      address: '书香小区中心广场',
      type: 'complaint',
      category: '噪声污染',
      caller: 'sun',
    },
  ),
  hand(
    'reworded',
    true,
    {
      title: '白马巷12号门前大树倒伏',
      content: '白马巷12号门前一棵大树被风刮倒，横在路上，车辆无法通行。',
      address: '白马巷12号',
      caller: 'liu',
      hoursBefore: 3,
    },
    {
      title: '白马巷有树倒了堵路',
      content: '白马巷12号门口那棵树被风刮倒了，把路堵了，车过不去，小孩上学都得绕。',
      address: '白马巷十二号门口',
      caller: 'zhang',
    },
  ),

  // ---- Not the same matter --------------------------------------------------
  hand('same_address_other_problem', false, SEWER, {
    title: '凯旋路与株洲路交叉口绿灯时间过短',
    content: '凯旋路与株洲路交叉口红绿灯时间太短，老人过马路走不过去，建议延长绿灯时间。',
    address: '西工区凯旋路与株洲路交叉口',
    type: 'suggestion',
    category: '交通设施',
    caller: 'zhou',
  }),
  hand(
    'same_type_nearby',
    false,
    MANHOLE,
    {
      title: '北海路与中州路交叉口东北角井盖松动',
      content: '北海路与中州路交叉口东北角的井盖松动，车一压就咣当响，晚上吵得睡不着。',
      address: '北海路与中州路交叉口东北角',
      caller: 'li',
    },
    'the opposite corner: another manhole',
  ),
  hand('same_address_other_problem', false, BASEMENT, {
    title: '彭西四巷26号院8号楼楼道灯不亮',
    content: '彭西四巷26号院8号楼楼道声控灯坏了，晚上上楼看不见，老人摔了一跤。',
    address: '彭西四巷26号院8号楼',
    category: '住房',
    caller: 'wang',
  }),
  hand(
    'same_type_nearby',
    false,
    HEATING,
    {
      title: '阳光家园12号楼3单元601室暖气不热',
      content: '家里暖气不热，屋里只有十五度，请热力公司来看看。',
      address: '阳光家园12号楼3单元601室',
      category: '住房',
      caller: 'zheng',
    },
    'another flat: each household is measured and fixed on its own',
  ),
  hand('same_type_nearby', false, LIFT, {
    title: '锦华花园7号楼1单元电梯故障',
    content: '锦华花园7号楼1单元电梯停运两天了，物业说在修，一直没修好。',
    address: '锦华花园7号楼1单元',
    category: '住房',
    caller: 'liu',
  }),
  hand('same_address_other_problem', false, RUBBISH, {
    title: '北海小区物业乱收停车费',
    content: '北海小区物业今年开始对地面停车每月收三百元，没有公示收费标准，业主不同意。',
    address: '北海路47号北海小区',
    type: 'complaint',
    category: '住房',
    caller: 'chen',
  }),
  hand('same_type_far', false, SITE_NOISE, {
    title: '凯旋路工地夜间施工噪音大',
    content: '凯旋路200号附近的工地夜里一两点还在施工，电锯声音很大，吵得睡不着。',
    address: '凯旋路200号附近',
    type: 'complaint',
    category: '噪声污染',
    caller: 'wu',
  }),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '和谐家园消防通道被私家车占用',
      content: '和谐家园消防通道天天晚上停满私家车，救护车都进不来。',
      address: '北海路9号和谐家园',
      category: '交通设施',
      caller: 'liu',
    },
    {
      title: '和谐家园门口人行道被共享单车占满',
      content: '和谐家园门口人行道上停满了共享单车，行人只能走到机动车道上。',
      address: '和谐家园门口',
      type: 'other',
      category: '城市管理',
      caller: 'sun',
    },
  ),
  hand('same_address_other_problem', false, LOUDSPEAKER, {
    title: '株洲路18号饭店油烟扰民',
    content: '株洲路18号饭店后厨油烟直接排到后面居民楼，家里窗户都是油。',
    address: '株洲路18号',
    type: 'complaint',
    category: '城市管理',
    caller: 'zhou',
  }),
  hand(
    'same_address_other_problem',
    false,
    HEATING,
    {
      title: '阳光家园12号楼门口垃圾桶满溢',
      content: '阳光家园12号楼门口的垃圾桶满了好几天没人清，垃圾都掉到地上了。',
      address: '阳光家园12号楼',
      caller: 'zhou',
    },
    'the same caller about something else',
  ),
  hand('same_address_other_problem', false, LIFT, {
    title: '锦华花园7号楼2单元楼道堆满杂物',
    content: '锦华花园7号楼2单元楼道里堆满了纸箱和旧家具，楼梯都过不去了。',
    address: '锦华花园7号楼2单元',
    category: '城市管理',
    caller: 'zhao',
  }),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '银杏嘉苑周边流浪犬较多',
      content: '银杏嘉苑周边流浪狗越来越多，晚上成群结队叫，还追过人。',
      address: '银杏嘉苑',
      type: 'other',
      caller: 'li',
    },
    {
      title: '银杏嘉苑有居民在绿化带养鸡',
      content: '银杏嘉苑有居民在楼下绿化带里围起来养鸡，天不亮就打鸣，还臭。',
      address: '银杏嘉苑',
      type: 'complaint',
      caller: 'wang',
    },
  ),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '明珠小区突然停水',
      content: '明珠小区今天上午突然停水，也没有通知，家里老人做不了饭。',
      address: '明珠小区',
      category: '公共服务',
      caller: 'liu',
      hoursBefore: 40,
    },
    {
      title: '明珠小区自来水发黄有异味',
      content: '明珠小区这两天自来水发黄，有股铁锈味，不敢喝，请供水公司检测一下水质。',
      address: '明珠小区',
      category: '公共服务',
      caller: 'zheng',
    },
    'water quality after the supply came back: another problem, another unit to handle it',
  ),
  hand(
    'same_type_nearby',
    false,
    {
      title: '幸福花园北门路灯不亮',
      content: '幸福花园北门外面那一排路灯这几天晚上都不亮，黑咕隆咚的。',
      address: '凯旋路56号幸福花园北门',
      category: '市政',
      caller: 'zhao',
    },
    {
      title: '幸福花园南门路灯不亮',
      content: '幸福花园南门口的路灯坏了好几天了，晚上黑乎乎的，请修一下。',
      address: '幸福花园南门',
      category: '市政',
      caller: 'wu',
    },
    'the other gate has its own lights',
  ),
  hand(
    'same_type_far',
    false,
    {
      title: '凯旋路地铁站B口共享单车乱停放',
      content: '凯旋路地铁站B口共享单车乱停，把盲道和出站口都堵了。',
      address: '凯旋路地铁站B口',
      type: 'other',
      caller: 'chen',
    },
    {
      title: '北海路地铁站共享单车乱停',
      content: '北海路地铁站出口共享单车乱停乱放，盲道都被占了。',
      address: '北海路地铁站',
      type: 'other',
      caller: 'zhang',
    },
  ),
  hand(
    'enquiry_other_caller',
    false,
    {
      title: '咨询社保卡丢失补办',
      content: '社保卡丢了，想问一下去哪里补办，要带什么材料？',
      address: '北海小区',
      type: 'enquiry',
      category: '劳动和社会保障',
      caller: 'zhang',
    },
    {
      title: '咨询社保卡补办流程',
      content: '我的社保卡丢了，请问在哪里补办，需要什么材料，能在手机上办吗？',
      address: '北海小区',
      type: 'enquiry',
      category: '劳动和社会保障',
      caller: 'wang',
    },
    'two callers, each owed an answer',
  ),
  hand('same_address_other_problem', false, WAGES, {
    title: '北海路120号工地夜间施工扰民',
    content: '北海路120号工地每天晚上十点以后还在施工，噪音很大。',
    address: '北海路120号',
    type: 'complaint',
    category: '噪声污染',
    caller: 'zhao',
  }),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '北海路65号门前路面塌陷',
      content: '北海路65号门前路面塌陷一个坑，已经有电动车摔倒了。',
      address: '北海路65号',
      category: '交通设施',
      caller: 'wu',
    },
    {
      title: '北海路65号门前树枝遮挡路灯',
      content: '北海路65号门前的行道树长得太密，把路灯全挡住了，晚上路上很暗，建议修剪。',
      address: '北海路65号',
      category: '城市管理',
      caller: 'liu',
    },
  ),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '书香小区广场舞噪音扰民',
      content: '书香小区中心广场每晚跳广场舞，音响开得很大，一直到十点。',
      address: '书香小区',
      type: 'complaint',
      category: '噪声污染',
      caller: 'chen',
    },
    {
      title: '书香小区底商KTV噪音扰民',
      content: '书香小区临街底商新开了一家KTV，每天唱到凌晨两点，楼上住户根本睡不着。',
      address: '书香小区',
      type: 'complaint',
      category: '噪声污染',
      caller: 'zhou',
    },
    'noise at the same compound from another source',
  ),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '北海路33号烧烤店油烟扰民',
      content: '北海路33号楼下烧烤店油烟直排，我家在二楼，窗户都不敢开。',
      address: '北海路33号',
      type: 'complaint',
      caller: 'sun',
    },
    {
      title: '北海路35号面馆占道经营',
      content: '北海路35号面馆把桌子摆到人行道上，早上吃饭的人把路都堵了。',
      address: '北海路35号',
      type: 'complaint',
      caller: 'zheng',
    },
  ),
  hand(
    'same_type_nearby',
    false,
    {
      title: '株洲路与白马巷交叉口积水严重',
      content: '株洲路与白马巷交叉口一下雨就积水，水深到小腿。',
      address: '株洲路与白马巷交叉口',
      category: '市政',
      caller: 'zheng',
    },
    {
      title: '株洲路与凯旋路交叉口积水',
      content: '株洲路凯旋路路口下雨后积水很深，车辆熄火。',
      address: '株洲路与凯旋路交叉口',
      category: '市政',
      caller: 'li',
    },
  ),
  hand(
    'same_type_nearby',
    false,
    {
      title: '康乐新村5号楼1单元楼道有燃气味',
      content: '康乐新村5号楼1单元楼道里一股燃气味，从昨天晚上就有，担心漏气。',
      address: '康乐新村5号楼1单元',
      category: '公共服务',
      caller: 'wu',
    },
    {
      title: '康乐新村8号楼楼道燃气味',
      content: '康乐新村8号楼2单元楼道有燃气味，请燃气公司来检查。',
      address: '康乐新村8号楼2单元',
      category: '公共服务',
      caller: 'chen',
    },
  ),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '怡景花园地下车库漏水',
      content: '怡景花园地下车库顶上漏水，好几辆车都被泡了，物业不管。',
      address: '怡景花园地下车库',
      category: '住房',
      caller: 'liu',
    },
    {
      title: '怡景花园9号楼顶楼漏雨',
      content: '怡景花园9号楼顶层，一下雨屋顶就往下滴水，墙面都霉了。',
      address: '怡景花园9号楼',
      category: '住房',
      caller: 'wang',
    },
    'both leaks, one compound: the garage roof and a building roof are two repairs',
  ),
  hand('same_address_other_problem', false, TREE, {
    title: '凯旋路步行街商户占道摆摊',
    content: '凯旋路步行街北段商户把货架摆到街中间，行人走路都得绕。',
    address: '凯旋路步行街北段',
    type: 'complaint',
    caller: 'zhang',
  }),
  hand('same_address_other_problem', false, SCHOOL, {
    title: '魏风小学门口早点摊油烟',
    content: '魏风小学门口有几家早点摊，油烟很大，孩子上学都从烟里走过去。',
    address: '魏风小学门口',
    type: 'complaint',
    caller: 'wang',
  }),
  hand(
    'same_address_other_problem',
    false,
    {
      title: '阳光家园门口路灯不亮',
      content: '凯旋路18号阳光家园门口的路灯不亮好几天了，晚上黑乎乎的。',
      address: '凯旋路18号阳光家园',
      category: '市政',
      caller: 'zhao',
    },
    {
      title: '阳光家园门口路面坑洼',
      content: '阳光家园门口路面坑坑洼洼，一下雨全是水坑，电动车经过容易摔倒。',
      address: '凯旋路18号阳光家园',
      category: '交通设施',
      caller: 'sun',
    },
  ),
];
