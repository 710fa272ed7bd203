/**
 * The seven real cases from the source articles, verbatim as
 * titles. They are the first orders of every demo set, all in the first grid
 * (d1-s1-c1-g1, account grid1), each at a different stage of its life.
 */
import type { Channel, OrderType, SupervisionLevel } from '#shared/order/intake.ts';
import type { Satisfaction } from '#shared/order/events.ts';
import type { Status } from '#shared/order/status.ts';
import type { CaseText } from './templates.ts';

export interface RealCase extends CaseText {
  readonly key: string;
  readonly type: OrderType;
  readonly channel: Channel;
  readonly address: string;
  readonly status: Status;
  /** How long before `now` the hotline received it. */
  readonly ageHours: number;
  readonly supervision?: SupervisionLevel;
  readonly satisfaction?: Satisfaction;
}

export const REAL_CASE_GRID = 'd1-s1-c1-g1';

const THANKS = '感谢您对12345热线工作的理解和支持。';

const fixed = (text: string) => () => text;
const notes = (...texts: string[]) => () => texts;

export const REAL_CASES: readonly RealCase[] = [
  {
    key: 'sewer',
    type: 'help',
    channel: 'phone',
    category: '市政',
    where: 'crossing',
    status: 'dispatched',
    ageHours: 0.9,
    address: '西工区凯旋路与株洲路交叉口东侧',
    title: fixed('凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水'),
    content: fixed('凯旋路与株洲路交叉口东侧污水管道堵塞，向上返水，路面全是污水，气味很大，已经好几天了，请尽快派人疏通。'),
    progress: notes('已到现场查看，污水井满溢，已设置警示标志。', '已报区市政局，疏通车今晚到场。'),
    actions: fixed('经现场核实，凯旋路与株洲路交叉口东侧污水管道因油污淤积堵塞。区市政局使用疏通车进行清掏，管道已恢复畅通，路面积水已清理。'),
    reply: fixed(`您反映的凯旋路与株洲路交叉口东侧污水管道堵塞问题，区市政局已清掏疏通，现已恢复正常。${THANKS}`),
  },
  {
    key: 'tree',
    type: 'help',
    channel: 'wechat',
    category: '城市管理',
    where: 'road',
    status: 'in_progress',
    ageHours: 30,
    supervision: 'reminder',
    address: '西工区凯旋路步行街北段',
    title: fixed('步行街两侧梧桐树因大风枝干断裂，存在安全隐患'),
    content: fixed('步行街两侧梧桐树因大风枝干断裂，存在安全隐患。有几根大树枝还挂在半空，下面行人很多，请尽快处理。'),
    progress: notes('已拉警戒线，提醒行人绕行。', '已联系区园林绿化中心，高空作业车明天上午到场修剪。'),
    actions: fixed('区园林绿化中心出动高空作业车，对步行街两侧断裂的梧桐树枝干进行了清理，并对整条步行街行道树进行排查修剪。'),
    reply: fixed(`您反映的步行街梧桐树断枝问题，园林绿化中心已清理断枝并对行道树进行排查修剪。${THANKS}`),
  },
  {
    key: 'manhole',
    type: 'help',
    channel: 'phone',
    category: '城市管理',
    where: 'crossing',
    status: 'closed',
    ageHours: 40,
    address: '西工区北海路与中州路交叉口西南角',
    title: fixed('北海路与中州路交叉口西南角下水道井盖缺损'),
    content: fixed('北海路与中州路交叉口西南角下水道井盖缺损，晚上看不清，行人和电动车很容易掉进去，请尽快处理。'),
    progress: notes('已在井口设置警示锥桶。', '已报区城市管理局，新井盖下午安装。'),
    actions: fixed('已在北海路与中州路交叉口西南角缺损井盖处设置警示标志，区城市管理局当日安装新井盖，现已修复。'),
    reply: fixed(`您反映的北海路与中州路交叉口西南角井盖缺损问题，城市管理局已安装新井盖。${THANKS}`),
  },
  {
    key: 'noise',
    type: 'complaint',
    channel: 'phone',
    category: '噪声污染',
    where: 'road',
    status: 'reviewed',
    ageHours: 4 * 24,
    address: '西工区株洲路18号、20号',
    title: fixed('株洲路两家餐饮店用大喇叭播放录音揽客，影响午休'),
    content: fixed('株洲路两家餐饮店用大喇叭播放录音揽客，影响午休。两家店门口循环播放，从早到晚不停，中午根本没法休息，希望管一管。'),
    progress: notes('已到现场核实，两家店门口确有喇叭外放。', '已约谈两家店主。'),
    actions: fixed('已会同城管中队到现场，对两家餐饮店负责人进行警告，责令立即停止使用大喇叭揽客，两家店已拆除外放喇叭，此后回访未再出现。'),
    reply: fixed(`您反映的株洲路餐饮店大喇叭揽客问题，已责令店主停止外放并拆除喇叭。${THANKS}`),
  },
  {
    key: 'box',
    type: 'complaint',
    channel: 'phone',
    category: '公共服务',
    where: 'building',
    status: 'archived',
    ageHours: 12 * 24,
    satisfaction: 'satisfied',
    address: '西工区株洲路社区3号楼2单元',
    title: fixed('通信箱安装在市民家外墙，影响装修'),
    content: fixed('市民来电反映：通信箱安装在市民家外墙，影响装修。运营商装箱前没有打招呼，现在家里装修要动外墙，通信箱挡着没法施工，要求移走。'),
    progress: notes('已联系通信运营商到现场查看。', '运营商同意将通信箱移至公共墙面。'),
    actions: fixed('已联系通信运营商，运营商于三日内将通信箱从市民家外墙移至楼道公共墙面，市民装修已恢复。'),
    reply: fixed(`您反映的通信箱影响装修问题，运营商已将通信箱移至公共区域。${THANKS}`),
  },
  {
    key: 'school',
    type: 'suggestion',
    channel: 'mayor_mailbox',
    category: '交通设施',
    where: 'crossing',
    status: 'replied',
    ageHours: 9 * 24,
    address: '西工区魏风小学校门西侧十字路口',
    title: fixed('魏风小学校门西侧十字路口人车混流'),
    content: fixed('魏风小学校门西侧十字路口人车混流，上下学时接送车辆和学生挤在一起，非常危险，建议设置护栏和信号灯。'),
    progress: notes('已会同区政府、交警大队现场勘查。', '护栏已开始安装。'),
    actions: fixed('区政府会同交警大队现场勘查，已在路口安装隔离护栏和信号灯，上下学时段安排交警和志愿者疏导。'),
    reply: fixed(`您反映的魏风小学门前路口人车混流问题，已安装隔离护栏和信号灯，并在上下学时段安排疏导。${THANKS}`),
  },
  {
    key: 'basement',
    type: 'help',
    channel: 'phone',
    category: '住房',
    where: 'building',
    indoors: true,
    status: 'in_progress',
    ageHours: 3 * 24,
    address: '西工区彭西四巷26号院8号楼',
    title: fixed('彭西四巷26号院8号楼地下室漏水'),
    content: fixed('彭西四巷26号院8号楼地下室漏水，积水有十几公分，放的东西都泡了，物业一直没有处理。'),
    progress: notes('已到地下室查看，积水约十公分，地下室没有信号，出来后补记。', '已通知物业公司排查管道井。'),
    actions: fixed('网格员到现场查看，地下室积水约十公分。经排查为管道井内供水管破裂，物业公司经管道井更换了破损水管，积水已抽排干净。'),
    reply: fixed(`您反映的彭西四巷26号院8号楼地下室漏水问题，物业已更换破损水管并抽排积水。${THANKS}`),
  },
];
