/**
 * Templated cases: what citizens call about, by request type, with what the
 * handler writes while on it and in the close (办理情况, 公开答复内容), so an
 * order's texts tell one story from intake to reply.
 */
import type { KNOWN_CATEGORIES, OrderType } from '#shared/order/intake.ts';
import { flat, type Spot, type Where } from './spot.ts';

export type Category = (typeof KNOWN_CATEGORIES)[number];

export interface CaseText {
  readonly category: Category;
  readonly where: Where;
  readonly title: (s: Spot) => string;
  /** 诉求内容: the citizen's words. */
  readonly content: (s: Spot) => string;
  /** 进展 notes, in the order a handler would write them. */
  readonly progress: (s: Spot) => readonly string[];
  /** 办理情况 */
  readonly actions: (s: Spot) => string;
  /** 公开答复内容 */
  readonly reply: (s: Spot) => string;
  /** Handled in a basement or indoors: no position fix. */
  readonly indoors?: boolean;
  /** Answered by phone (enquiries): no visit, no on-site photos beyond a record. */
  readonly byPhone?: boolean;
}

export interface CaseTemplate extends CaseText {
  readonly type: OrderType;
  /** Relative frequency within its type. */
  readonly weight: number;
}

const THANKS = '感谢您对12345热线工作的理解和支持。';

const help: readonly CaseTemplate[] = [
  {
    type: 'help',
    weight: 8,
    category: '市政',
    where: 'compound',
    title: (s) => `${s.road}${s.compound}门口路灯不亮`,
    content: (s) =>
      `${s.road}${s.compound}南门外一段路灯已经连续一个多星期不亮了，晚上黑乎乎的，老人孩子出门容易摔倒，希望尽快修好。`,
    progress: (s) => [`已到${s.compound}门口核实，共有3盏路灯不亮。`, '已报区市政路灯所，维修人员明天上午到场。'],
    actions: (s) => `经现场核实，${s.road}${s.compound}门口3盏路灯因地埋线路老化断路不亮。已协调区市政路灯所更换线路和灯具，现已全部恢复照明。`,
    reply: (s) => `您反映的${s.road}${s.compound}门口路灯不亮问题，已协调区市政路灯所更换线路，现已恢复照明。${THANKS}`,
  },
  {
    type: 'help',
    weight: 9,
    category: '城市管理',
    where: 'compound',
    title: (s) => `${s.compound}垃圾清运不及时`,
    content: (s) => `${s.compound}${s.building}号楼旁边的垃圾桶满了三四天没人清运，垃圾堆到地上，气味很大，招苍蝇蚊子，请尽快处理。`,
    progress: () => ['已联系环卫所，今天下午安排清运车。', '垃圾已清运，已要求物业每日定时清运。'],
    actions: (s) => `已联系街道环卫所对${s.compound}${s.building}号楼旁垃圾点进行清运，并对周边进行冲洗消毒；已约谈物业，落实每日早晚两次定时清运。`,
    reply: (s) => `您反映的${s.compound}垃圾清运不及时问题，已安排清运并消毒，物业已落实每日定时清运。${THANKS}`,
  },
  {
    type: 'help',
    weight: 6,
    category: '城市管理',
    where: 'building',
    title: (s) => `${flat(s)}楼道堆放杂物`,
    content: (s) => `${flat(s)}楼道里长期堆放旧家具、纸箱和电动车，把楼梯都堵了一半，存在消防安全隐患，希望有人管一管。`,
    progress: () => ['已上门查看，楼道确有堆物。', '已与物业一起挨户劝导，住户同意三天内自行清理。'],
    actions: (s) => `网格员会同物业上门逐户劝导，${flat(s)}楼道杂物已全部清理，电动车已移至小区集中充电点，并在楼道张贴消防安全提示。`,
    reply: (s) => `您反映的${flat(s)}楼道堆物问题，已会同物业清理完毕，今后将加强巡查。${THANKS}`,
  },
  {
    type: 'help',
    weight: 5,
    category: '市政',
    where: 'crossing',
    title: (s) => `${s.road}与${s.crossRoad}交叉口井盖缺损`,
    content: (s) => `${s.road}与${s.crossRoad}交叉口附近有一处井盖破损塌陷，晚上看不清，电动车经过很危险，请尽快处理。`,
    progress: () => ['已在井口四周设置警示锥桶。', '已联系区市政设施养护所更换井盖。'],
    actions: (s) => `已在${s.road}与${s.crossRoad}交叉口破损井盖处设置警示标志，协调区市政设施养护所当日更换新井盖，现已修复。`,
    reply: (s) => `您反映的${s.road}与${s.crossRoad}交叉口井盖缺损问题，已更换新井盖。${THANKS}`,
  },
  {
    type: 'help',
    weight: 5,
    category: '市政',
    where: 'compound',
    title: (s) => `${s.compound}下水道堵塞返水`,
    content: (s) => `${s.compound}${s.building}号楼前的下水道堵了，污水往上冒，路面全是积水，气味难闻，已经好几天了。`,
    progress: () => ['已到现场查看，污水井满溢。', '已联系区市政管网所，疏通车明早到场。'],
    actions: (s) => `已协调物业和区市政管网所使用疏通车对${s.compound}${s.building}号楼前管道进行清掏，清出淤泥约两方，现已排水通畅，路面已冲洗。`,
    reply: (s) => `您反映的${s.compound}下水道堵塞问题，已清掏疏通，现已排水通畅。${THANKS}`,
  },
  {
    type: 'help',
    weight: 5,
    category: '住房',
    where: 'building',
    indoors: true,
    title: (s) => `${flat(s)}供暖不热`,
    content: (s) => `${flat(s)}家里暖气不热，室内温度只有十四五度，家里有八十多岁的老人，请协调热力公司处理。`,
    progress: () => ['已联系热力公司，约好明天上门测温。', '热力公司上门测温室温15℃，正在排查管道。'],
    actions: () => '已联系热力公司上门测温，室温15℃。经排查为户内管道堵塞，已清洗管道并排气，复测室温19℃，达到供热标准。',
    reply: () => `您反映的供暖不热问题，热力公司已上门清洗管道并排气，复测室温已达标。${THANKS}`,
  },
  {
    type: 'help',
    weight: 4,
    category: '住房',
    where: 'building',
    title: (s) => `${flat(s)}电梯经常故障停运`,
    content: (s) => `${flat(s)}的电梯这个月已经坏了三次，上周还困过人，楼上住着很多老人，希望督促物业尽快彻底维修。`,
    progress: () => ['已约谈物业公司，电梯维保单位今天到场检修。'],
    actions: (s) => `已约谈物业公司并通知电梯维保单位检修，更换了${flat(s)}电梯门机控制板；区市场监管局已对该电梯进行安全检查，运行正常。`,
    reply: () => `您反映的电梯故障问题，维保单位已更换故障部件，经检查运行正常。${THANKS}`,
  },
  {
    type: 'help',
    weight: 3,
    category: '公共服务',
    where: 'compound',
    title: (s) => `${s.compound}突然停水没有通知`,
    content: (s) => `${s.compound}从今天早上开始停水，事先没有任何通知，家里老人孩子做饭都成问题，请问什么时候恢复供水？`,
    progress: (s) => [`已与供水公司核实，系${s.road}主管道抢修。`],
    actions: (s) => `经与供水公司核实，因${s.road}主管道爆管抢修临时停水，已于当日18时恢复供水；已要求供水公司今后提前张贴停水通知。`,
    reply: () => `您反映的停水问题，系主管道抢修所致，已于当日恢复供水。${THANKS}`,
  },
  {
    type: 'help',
    weight: 4,
    category: '城市管理',
    where: 'road',
    title: (s) => `${s.road}${s.number}号门前行道树断枝存在隐患`,
    content: (s) => `${s.road}${s.number}号门前行道树有一根大树枝断了，挂在半空，下面就是人行道和公交站，很危险。`,
    progress: () => ['已拉警戒线提醒行人绕行。', '已联系园林绿化中心，高空作业车明天上午到场。'],
    actions: (s) => `已联系区园林绿化中心对${s.road}${s.number}号门前断枝进行清理，并对该路段行道树进行排查修剪。`,
    reply: (s) => `您反映的${s.road}行道树断枝问题，已清理完毕并对该路段进行了排查修剪。${THANKS}`,
  },
  {
    type: 'help',
    weight: 3,
    category: '交通设施',
    where: 'road',
    title: (s) => `${s.road}${s.number}号附近路面坑洼破损`,
    content: (s) => `${s.road}${s.number}号附近路面有好几个大坑，一下雨全是积水，电动车经过容易摔倒。`,
    progress: () => ['已现场测量，破损面积约6平方米。'],
    actions: (s) => `已联系区市政局对${s.road}${s.number}号附近破损路面进行铣刨修补，现已恢复平整。`,
    reply: (s) => `您反映的${s.road}路面破损问题，已修补完毕。${THANKS}`,
  },
  {
    type: 'help',
    weight: 4,
    category: '住房',
    where: 'building',
    indoors: true,
    title: (s) => `${flat(s)}顶楼漏雨`,
    content: (s) => `${flat(s)}顶楼一下雨屋顶就漏水，墙面都发霉了，找物业好多次都没解决。`,
    progress: () => ['已上门查看，屋面防水层老化开裂。', '已协调物业申请使用维修资金。'],
    actions: (s) => `已协调物业使用维修资金对${s.compound}${s.building}号楼屋面防水进行修缮，雨后复查已无渗漏。`,
    reply: () => `您反映的顶楼漏雨问题，已对屋面防水进行修缮，雨后复查无渗漏。${THANKS}`,
  },
  {
    type: 'help',
    weight: 3,
    category: '劳动和社会保障',
    where: 'road',
    title: (s) => `反映${s.road}一工地拖欠农民工工资`,
    content: (s) => `我在${s.road}附近一处建筑工地干活，包工头拖欠我们十几个人三个月工资，一共八万多元，请帮忙追讨。`,
    progress: () => ['已将线索移交区人社局劳动监察大队。', '劳动监察大队已约谈施工方。'],
    actions: () => '已会同区人社局劳动监察大队约谈施工总包单位，施工方已于限期内足额支付拖欠的工资共计八万余元。',
    reply: () => `您反映的拖欠工资问题，经劳动监察部门介入，施工方已足额支付。${THANKS}`,
  },
  {
    type: 'help',
    weight: 4,
    category: '交通设施',
    where: 'compound',
    title: (s) => `${s.compound}消防通道被车辆占用`,
    content: (s) => `${s.compound}门口和消防通道上每天晚上停满车，上次救护车都进不来，请交警和物业管一管。`,
    progress: () => ['已联系交警中队夜间巡查。', '物业已同意施划禁停标线。'],
    actions: (s) => `已联系交警中队对${s.compound}消防通道违停车辆进行劝离和处罚，物业已施划禁停标线并安装隔离地桩。`,
    reply: () => `您反映的消防通道被占用问题，已施划禁停标线并安装地桩，交警将加强巡查。${THANKS}`,
  },
  {
    type: 'help',
    weight: 2,
    category: '公共服务',
    where: 'building',
    indoors: true,
    title: (s) => `${flat(s)}楼道有燃气味`,
    content: (s) => `${flat(s)}楼道里有一股燃气味，好几天了，担心会出事，请燃气公司来看看。`,
    progress: () => ['已通知燃气公司抢修，已提醒住户开窗通风、不要开关电器。'],
    actions: () => '燃气公司抢修人员到场检测，发现楼道立管接口老化泄漏，已更换接口并复测无泄漏。',
    reply: () => `您反映的楼道燃气味问题，燃气公司已更换老化接口，复测无泄漏。${THANKS}`,
  },
  {
    type: 'help',
    weight: 2,
    category: '营商环境',
    where: 'road',
    title: (s) => `企业反映${s.road}厂房用电报装迟迟未接电`,
    content: (s) => `我公司在${s.road}新租的厂房申请用电报装已经一个多月了还没有接电，设备到了没法开工，希望帮忙协调。`,
    progress: () => ['已联系供电公司客户经理了解进度。'],
    actions: () => '已协调供电公司开辟绿色通道，三个工作日内完成接电，并向企业反馈办理进度。',
    reply: () => `您反映的用电报装问题，供电公司已完成接电。${THANKS}`,
  },
];

const enquiry: readonly CaseTemplate[] = [
  {
    type: 'enquiry',
    weight: 5,
    category: '劳动和社会保障',
    where: 'compound',
    byPhone: true,
    title: () => '咨询社保卡丢失补办流程',
    content: () => '我的社保卡丢了，想问一下在哪里补办，需要带什么材料，能不能在手机上办？',
    progress: () => ['已电话联系市民，正在核实补办渠道。'],
    actions: (s) => `已电话联系市民，告知可通过“示范市人社”公众号线上补办，或携带身份证原件到${s.street}便民服务中心现场补办，现场即可领卡。`,
    reply: (s) => `社保卡可通过“示范市人社”公众号补办，也可携带身份证到${s.street}便民服务中心现场办理。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 4,
    category: '教育管理',
    where: 'compound',
    byPhone: true,
    title: (s) => `咨询${s.compound}适龄儿童小学入学划片`,
    content: (s) => `孩子今年九月上一年级，户口在${s.compound}，想咨询一下划片对应哪所小学，什么时候网上报名？`,
    progress: () => ['已联系区教育局核实划片范围。'],
    actions: (s) => `已联系区教育局核实，${s.compound}划片对应学校为${s.road}小学，网上报名时间为7月1日至7月10日，已电话告知市民。`,
    reply: (s) => `${s.compound}划片对应学校为${s.road}小学，网上报名时间为7月1日至7月10日。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 3,
    category: '住房',
    where: 'compound',
    byPhone: true,
    title: () => '咨询公租房申请条件',
    content: () => '我是外地来示范市工作的，想问一下公租房怎么申请，需要满足什么条件，要准备哪些材料？',
    progress: () => ['已与区住房保障中心核实申请条件。'],
    actions: () => '已电话告知市民：在本市稳定就业并缴纳社保满6个月、本人及家庭在本市无自有住房即可申请，材料包括身份证、劳动合同和社保缴费证明。',
    reply: () => `公租房申请条件为在本市稳定就业并缴纳社保满6个月、在本市无自有住房，可向所在街道提交申请。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 3,
    category: '公共服务',
    where: 'compound',
    byPhone: true,
    title: () => '咨询居住证办理需要的材料',
    content: () => '我刚搬到这边租房住，孩子上学要居住证，请问办居住证需要什么材料，到哪里办？',
    progress: () => ['已与辖区派出所户籍窗口核实。'],
    actions: () => '已电话告知市民：携带身份证、租房合同和居住登记满半年的证明，到辖区派出所户籍窗口办理，可通过公安政务服务平台预约。',
    reply: () => `居住证可携带身份证、租房合同到辖区派出所户籍窗口办理。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 3,
    category: '劳动和社会保障',
    where: 'compound',
    byPhone: true,
    title: () => '咨询医保异地就医备案',
    content: () => '老人要去外地子女家住半年，想问一下医保怎么办理异地就医备案，在外地看病能不能直接报销？',
    progress: () => ['已与区医保中心核实办理方式。'],
    actions: () => '已电话告知市民可通过国家医保服务平台App办理异地就医备案，备案后在备案地定点医院可直接结算。',
    reply: () => `异地就医备案可通过国家医保服务平台App办理，备案后可在备案地定点医院直接结算。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 3,
    category: '营商环境',
    where: 'road',
    byPhone: true,
    title: () => '咨询个体工商户营业执照办理流程',
    content: (s) => `我想在${s.road}开一家小吃店，想问一下个体营业执照怎么办，要多长时间，还需要办什么证？`,
    progress: () => ['已与区市场监管局登记窗口核实。'],
    actions: () => '已告知市民可通过政务服务网全程网办个体工商户登记，材料齐全当日即可领取执照，并告知食品经营许可的办理要求。',
    reply: () => `个体工商户登记可全程网办，材料齐全当日办结；经营小吃还需办理食品经营许可。${THANKS}`,
  },
  {
    type: 'enquiry',
    weight: 2,
    category: '住房',
    where: 'building',
    byPhone: true,
    title: () => '咨询供暖费缴费标准和时间',
    content: () => '今年供暖费什么时候开始交，收费标准是多少，可以在手机上交吗？',
    progress: () => ['已与热力公司客服核实。'],
    actions: () => '已告知市民住宅供暖费按建筑面积每平方米每月5.8元收取，缴费期为10月15日至11月15日，可通过热力公司公众号缴纳。',
    reply: () => `住宅供暖费缴费期为10月15日至11月15日，可通过热力公司公众号缴纳。${THANKS}`,
  },
];

const complaint: readonly CaseTemplate[] = [
  {
    type: 'complaint',
    weight: 5,
    category: '噪声污染',
    where: 'road',
    title: (s) => `${s.road}工地夜间施工噪声扰民`,
    content: (s) => `${s.road}${s.number}号附近的工地每天晚上十一点以后还在施工，打桩机声音很大，根本没法睡觉，请管一管。`,
    progress: () => ['已于当晚22时30分到现场检查，工地仍在施工。', '已通报区城市管理局执法中队。'],
    actions: (s) => `已会同区城市管理局执法中队到${s.road}工地检查，施工单位未办理夜间施工许可，已责令停止夜间施工并立案处罚，此后夜间巡查未再发现施工。`,
    reply: () => `您反映的工地夜间施工噪声问题，已责令施工单位停止夜间施工并依法处罚。${THANKS}`,
  },
  {
    type: 'complaint',
    weight: 3,
    category: '噪声污染',
    where: 'compound',
    title: (s) => `${s.compound}广场舞音响声音过大`,
    content: (s) => `${s.compound}中心广场每天晚上跳广场舞，音响开得特别大，一直到十点多，孩子没法写作业。`,
    progress: () => ['已与广场舞队负责人沟通。'],
    actions: (s) => `已与${s.compound}广场舞队负责人沟通，约定音量控制在55分贝以下、21时前结束，社区已为舞队配发定向音箱。`,
    reply: () => `您反映的广场舞噪声问题，已与舞队约定降低音量、21时前结束。${THANKS}`,
  },
  {
    type: 'complaint',
    weight: 4,
    category: '城市管理',
    where: 'road',
    title: (s) => `${s.road}早市占道经营影响通行`,
    content: (s) => `${s.road}${s.number}号附近每天早上有大量摊贩占道经营，垃圾扔一地，车和人都过不去。`,
    progress: () => ['已于早6时到现场劝导摊贩。', '已联系城管中队联合整治。'],
    actions: (s) => `已联合城管中队对${s.road}占道摊贩进行劝导，引导进入${s.community}便民市场经营，并安排每日早间巡查。`,
    reply: (s) => `您反映的${s.road}占道经营问题，已引导摊贩进入便民市场经营，并安排每日巡查。${THANKS}`,
  },
  {
    type: 'complaint',
    weight: 3,
    category: '城市管理',
    where: 'road',
    title: (s) => `${s.road}${s.number}号饭店油烟扰民`,
    content: (s) => `${s.road}${s.number}号一楼的饭店油烟直排，烟道就对着我们家窗户，窗户都不敢开。`,
    progress: () => ['已现场查看，饭店未安装油烟净化设施。'],
    actions: () => '已会同城管执法人员检查，责令该饭店限期安装油烟净化设施并改造排烟管道，现已整改到位。',
    reply: () => `您反映的饭店油烟问题，店家已安装油烟净化设施并改造排烟管道。${THANKS}`,
  },
  {
    type: 'complaint',
    weight: 3,
    category: '住房',
    where: 'compound',
    title: (s) => `投诉${s.compound}物业服务不到位`,
    content: (s) => `${s.compound}物业费照收，可是小区卫生没人打扫，路灯坏了不修，门禁也坏了好几个月，业主意见很大。`,
    progress: () => ['已约谈物业公司项目经理。'],
    actions: (s) => `已约谈${s.compound}物业公司，督促其维修门禁和路灯、增加保洁频次，社区将每月组织业主对物业服务进行评议。`,
    reply: () => `您反映的物业服务问题，已约谈物业公司并督促整改，社区将持续监督。${THANKS}`,
  },
  {
    type: 'complaint',
    weight: 2,
    category: '营商环境',
    where: 'road',
    title: (s) => `商户反映${s.road}道路施工围挡影响经营`,
    content: (s) => `${s.road}改造施工围挡已经三个多月了，店门口被挡住，顾客进不来，生意一落千丈，想问什么时候能完工。`,
    progress: () => ['已与施工项目部沟通工期。'],
    actions: (s) => `已协调施工单位在${s.road}围挡处为沿街商户预留出入口并设置指示牌，项目部承诺本月底前拆除该段围挡。`,
    reply: () => `已协调施工单位为沿街商户预留出入口，该段围挡将于月底前拆除。${THANKS}`,
  },
];

const suggestion: readonly CaseTemplate[] = [
  {
    type: 'suggestion',
    weight: 3,
    category: '交通设施',
    where: 'crossing',
    title: (s) => `建议在${s.road}与${s.crossRoad}路口增设信号灯`,
    content: (s) => `${s.road}与${s.crossRoad}路口车流量很大，没有红绿灯，早晚高峰经常剐蹭，建议增设信号灯。`,
    progress: () => ['已将建议转交交警大队设施科。'],
    actions: () => '已将建议转交交警大队，经现场勘查，已将该路口纳入年度信号灯建设计划，近期先施划减速标线并设置警示牌。',
    reply: () => `您的建议已转交交警大队，该路口已纳入年度信号灯建设计划。${THANKS}`,
  },
  {
    type: 'suggestion',
    weight: 2,
    category: '公共服务',
    where: 'compound',
    title: (s) => `建议在${s.compound}增设电动自行车充电桩`,
    content: (s) => `${s.compound}很多人把电动车推进楼道充电，很危险，建议在小区里建集中充电桩。`,
    progress: () => ['已与物业商议选址。'],
    actions: (s) => `已协调物业在${s.compound}北门空地建设电动自行车集中充电棚，设充电口40个，已投入使用。`,
    reply: () => `您的建议已采纳，小区电动自行车集中充电棚已投入使用。${THANKS}`,
  },
  {
    type: 'suggestion',
    weight: 1,
    category: '公共服务',
    where: 'compound',
    title: (s) => `建议在${s.compound}增设健身器材`,
    content: (s) => `${s.compound}老人多，小区里没有健身器材，建议在小游园里装一些。`,
    progress: () => ['已向区体育局申请健身路径配送。'],
    actions: () => '已向区体育局申请全民健身路径一套，已在小区游园安装完毕。',
    reply: () => `您的建议已采纳，健身器材已安装完毕。${THANKS}`,
  },
];

const praise: readonly CaseTemplate[] = [
  {
    type: 'praise',
    weight: 2,
    category: '公共服务',
    where: 'building',
    byPhone: true,
    title: (s) => `表扬${s.community}网格员热心服务`,
    content: (s) => `我家老人独居在${flat(s)}，网格员经常上门看望，还帮忙代办了养老资格认证，特此表扬。`,
    progress: () => ['已将表扬转达社区。'],
    actions: (s) => `已将市民的表扬转达${s.community}，并在社区公示栏予以通报表扬。`,
    reply: () => `感谢您的表扬，我们会继续做好服务。${THANKS}`,
  },
  {
    type: 'praise',
    weight: 1,
    category: '城市管理',
    where: 'road',
    byPhone: true,
    title: (s) => `表扬${s.road}环卫工人拾金不昧`,
    content: (s) => `我在${s.road}丢了装有证件和现金的钱包，环卫工人捡到后一直在原地等我，特此表扬。`,
    progress: () => ['已核实并转达环卫所。'],
    actions: () => '已将市民的表扬转达街道环卫所，环卫所已对该环卫工人通报表扬。',
    reply: () => `感谢您的表扬，已转达环卫所。${THANKS}`,
  },
];

const other: readonly CaseTemplate[] = [
  {
    type: 'other',
    weight: 2,
    category: '城市管理',
    where: 'compound',
    title: (s) => `${s.compound}流浪犬较多影响出行`,
    content: (s) => `${s.compound}附近最近有七八只流浪狗，晚上成群结队，还追过小孩，大家都不敢出门。`,
    progress: () => ['已联系区犬类收容中心。'],
    actions: () => '已联系区犬类收容中心对小区周边流浪犬进行收容，共收容6只，并提醒居民不要随意投喂。',
    reply: () => `您反映的流浪犬问题，已联系收容中心收容。${THANKS}`,
  },
  {
    type: 'other',
    weight: 1,
    category: '城市管理',
    where: 'road',
    title: (s) => `${s.road}共享单车乱停乱放`,
    content: (s) => `${s.road}地铁口共享单车堆成一片，把盲道和人行道都占了。`,
    progress: () => ['已通知共享单车运营企业清理。'],
    actions: () => '已通知各共享单车运营企业清运调度车辆，并在地铁口施划停放区域。',
    reply: () => `您反映的共享单车乱停问题，运营企业已清运并规范停放。${THANKS}`,
  },
];

export const TEMPLATES: Readonly<Record<OrderType, readonly CaseTemplate[]>> = {
  help,
  enquiry,
  complaint,
  suggestion,
  praise,
  other,
};
