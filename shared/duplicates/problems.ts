/**
 * Kinds of problem citizens call 12345 about, each with the words that name
 * it. Bigrams see "下水道往外冒脏水" and "污水管道堵塞，向上返水" as
 * different texts; a caller and an operator rarely use the same words for
 * one blocked sewer. This list says both are about the sewer. It is small on
 * purpose — the matters a street office handles in the field, from the
 * hotline's published categories and the demo's cases — and it only adds
 * evidence: text that names no kind is compared by its bigrams alone.
 *
 * Words are matched as substrings of the NFKC-folded title and content.
 * A kind is named by an index into PROBLEM_KINDS (stable within a build).
 */
export const PROBLEM_KINDS = [
  { kind: 'streetlight', words: ['路灯', '照明', '灯不亮', '灯坏', '灯杆', '灯都不亮', '灯也不亮'] },
  { kind: 'stair_light', words: ['楼道灯', '声控灯', '楼梯灯', '感应灯'] },
  { kind: 'traffic_signal', words: ['红绿灯', '信号灯', '绿灯', '红灯', '信号机'] },
  { kind: 'manhole', words: ['井盖', '窨井', '井口', '雨水篦', '雨篦子'] },
  { kind: 'sewer', words: ['下水道', '下水管', '污水', '返水', '冒水', '冒脏水', '化粪池', '疏通', '管道堵', '排水不畅', '堵了', '不通'] },
  { kind: 'flooding', words: ['积水', '内涝', '水坑', '淹了', '水深'] },
  { kind: 'water_supply', words: ['停水', '没水', '断水', '供水', '来水', '水压', '自来水'] },
  { kind: 'water_quality', words: ['水质', '发黄', '浑浊', '铁锈味', '水有异味', '水发黑'] },
  { kind: 'leak', words: ['漏水', '漏雨', '渗水', '进水', '滴水', '防水', '往下漏', '又漏', '水管破', '爆管'] },
  { kind: 'heating', words: ['暖气', '供暖', '供热', '室温', '热力', '不热', '暖气片', '采暖'] },
  { kind: 'gas', words: ['燃气', '煤气', '天然气', '漏气', '液化气'] },
  { kind: 'lift', words: ['电梯', '困人', '困过人', '关过人', '梯控'] },
  { kind: 'power', words: ['停电', '用电', '接电', '报装', '供电', '电压', '跳闸', '电表'] },
  { kind: 'rubbish', words: ['垃圾', '清运', '环卫', '保洁', '卫生没人', '脏乱差'] },
  { kind: 'clutter', words: ['杂物', '堆物', '堆放', '旧家具', '纸箱', '堵了一半', '乱堆'] },
  { kind: 'fire_lane', words: ['消防通道', '消防车道', '生命通道', '救护车', '消防车'] },
  { kind: 'parking', words: ['违停', '乱停车', '停车', '私家车', '占用车位', '僵尸车', '停车费'] },
  { kind: 'bikes', words: ['共享单车', '单车', '小黄车', '共享电单车', '共享自行车'] },
  { kind: 'ev_charging', words: ['充电桩', '充电棚', '飞线充电', '楼道充电', '推进楼道', '电动车充电', '充电口'] },
  { kind: 'pavement', words: ['人行道', '盲道'] },
  { kind: 'construction', words: ['工地', '施工', '打桩', '混凝土', '搅拌', '打灰', '罐车', '渣土', '围挡', '电锯', '切割'] },
  { kind: 'noise', words: ['噪音', '噪声', '吵', '扰民', '音响', '音箱', '喇叭', '声音很大', '声音太大', '声音特别大', '太响', '睡不着', '没法睡', '打鸣'] },
  { kind: 'square_dance', words: ['广场舞', '跳舞', '舞队'] },
  { kind: 'entertainment', words: ['ktv', '唱歌', '酒吧', '歌厅', '棋牌'] },
  { kind: 'loudspeaker', words: ['喇叭', '揽客', '外放', '录音'] },
  { kind: 'fumes', words: ['油烟', '烧烤', '排烟', '烟道', '熏'] },
  { kind: 'stalls', words: ['摊贩', '摆摊', '占道经营', '早市', '夜市', '流动摊', '早点摊', '货架', '出店经营'] },
  { kind: 'road_surface', words: ['路面', '坑洼', '塌陷', '塌了', '大坑', '坑坑洼洼', '沉降', '破损', '裂缝', '一个坑'] },
  { kind: 'trees', words: ['树枝', '树杈', '断枝', '倒伏', '大树', '行道树', '梧桐', '修剪', '树倒', '刮倒', '枝干', '树木'] },
  { kind: 'greenery', words: ['绿化带', '草坪', '毁绿', '种菜'] },
  { kind: 'animals', words: ['流浪狗', '流浪犬', '野狗', '流浪猫', '犬只', '狗', '养鸡', '家禽', '鸽子'] },
  { kind: 'wages', words: ['工资', '欠薪', '工钱', '讨薪', '拖欠', '没发钱', '没拿到钱'] },
  { kind: 'property', words: ['物业费', '物业服务', '门禁', '业委会', '物业公司'] },
  { kind: 'telecom', words: ['通信箱', '光交箱', '运营商', '网线', '光缆', '基站'] },
  { kind: 'school_traffic', words: ['人车混流', '接送', '上下学', '放学', '学生'] },
  { kind: 'pollution', words: ['异味', '臭味', '废气', '排污', '粉尘', '扬尘', '烧垃圾'] },
  { kind: 'illegal_building', words: ['违建', '违章建筑', '私搭乱建', '加盖', '私自搭建'] },
  { kind: 'social_security', words: ['社保', '医保', '养老金', '退休', '异地就医', '备案'] },
  { kind: 'school_place', words: ['入学', '划片', '一年级', '学位', '报名', '对口'] },
  { kind: 'housing_aid', words: ['公租房', '廉租房', '保障房', '住房补贴'] },
  { kind: 'residence_permit', words: ['居住证', '户口', '户籍', '暂住'] },
  { kind: 'business_licence', words: ['营业执照', '个体户', '工商户', '食品经营许可'] },
  { kind: 'heating_fee', words: ['供暖费', '暖气费', '取暖费'] },
] as const;

export type ProblemKind = (typeof PROBLEM_KINDS)[number]['kind'];

/** Indexes into PROBLEM_KINDS of the kinds the text names, ascending. */
export function problemKinds(text: string): number[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const out: number[] = [];
  for (let index = 0; index < KIND_PATTERNS.length; index++) if (KIND_PATTERNS[index]!.test(folded)) out.push(index);
  return out;
}

/** One alternation per kind: a regular expression finds any of a kind's words in one pass. */
const KIND_PATTERNS = PROBLEM_KINDS.map((entry) => new RegExp(entry.words.join('|')));

/**
 * How far two orders name the same kinds: shared kinds over the kinds of the
 * one naming fewer. A report names its problem's kind and, often, incidental
 * ones ("路面全是污水" names the road surface in a sewer report); the
 * overlap coefficient ignores the extra ones, where Dice would count them
 * against a match. The price: an order listing five problems matches any
 * order naming one of them on this view (its bigrams still differ). Null
 * when either names none, so that the caller falls back to the words.
 */
export function kindSimilarity(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || b.length === 0) return null;
  let shared = 0;
  for (const kind of a) if (b.includes(kind)) shared++;
  return shared / Math.min(a.length, b.length);
}
