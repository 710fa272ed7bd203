/**
 * Labelled queries for the demo knowledge base (demo/knowledge): each as a
 * citizen on the phone or a worker in the field would type it, with the
 * entry that should come first. `kind` says what makes it hard:
 *   plain       the entry's own words, reordered or shortened
 *   colloquial  everyday words, not the department's (娃上学, 老楼装电梯)
 *   partial     a fragment of the word (公积 for 公积金, 加装 for 加装电梯)
 *   typo        a homophone typed by an input method (公租防, 驾使证)
 *   pinyin      pinyin or initials (gzf): found only with a PinyinProvider
 * Written by hand against the matters in demo/knowledge/subjects.ts, before
 * the ranking was tuned on them.
 */
export type QueryKind = 'plain' | 'colloquial' | 'partial' | 'typo' | 'pinyin';

export interface LabelledQuery {
  readonly query: string;
  readonly expected: string;
  readonly kind: QueryKind;
}

const q = (query: string, expected: string, kind: QueryKind): LabelledQuery => ({ query, expected, kind });

export const QUERIES: readonly LabelledQuery[] = [
  // 住房
  q('公租房申请要什么条件', 'kb-zf-gzf-cond', 'plain'),
  q('申请公租房要带哪些东西', 'kb-zf-gzf-mat', 'colloquial'),
  q('公租房多久能批下来', 'kb-zf-gzf-time', 'colloquial'),
  q('公租防怎么申请', 'kb-zf-gzf-flow', 'typo'),
  q('gzf', 'kb-zf-gzf-cond', 'pinyin'),
  q('公积金怎么取出来', 'kb-zf-gjj-flow', 'colloquial'),
  q('提公积金要带啥材料', 'kb-zf-gjj-mat', 'colloquial'),
  q('公积提取手机上能办吗', 'kb-zf-gjj-online', 'partial'),
  q('公基金提取条件', 'kb-zf-gjj-cond', 'typo'),
  q('房子过户要多少钱', 'kb-zf-bdc-fee', 'colloquial'),
  q('过户需要什么材料', 'kb-zf-bdc-mat', 'colloquial'),
  q('不动产登记几天能拿证', 'kb-zf-bdc-time', 'partial'),
  q('硕士人才住房补贴每月多少钱', 'kb-zf-rczf-fee', 'plain'),
  q('人才补贴申请条件', 'kb-zf-rczf-cond', 'partial'),
  q('租房合同备案去哪办', 'kb-zf-zlba-flow', 'colloquial'),
  q('租赁备案收费吗', 'kb-zf-zlba-fee', 'partial'),
  // 物业
  q('物业费标准是多少', 'kb-wy-wyf-fee', 'plain'),
  q('物业乱收费找谁', 'kb-wy-wytb-flow', 'colloquial'),
  q('维修基金怎么用', 'kb-wy-wxzj-flow', 'colloquial'),
  q('用维修资金要多少业主同意', 'kb-wy-wxzj-cond', 'colloquial'),
  q('老楼装电梯有补贴吗', 'kb-wy-jzdt-fee', 'colloquial'),
  q('加装电梯需要多少人同意', 'kb-wy-jzdt-cond', 'partial'),
  q('旧楼加装升降梯流程', 'kb-wy-jzdt-flow', 'colloquial'),
  q('加装电题要什么材料', 'kb-wy-jzdt-mat', 'typo'),
  q('怎么成立业委会', 'kb-wy-ywh-flow', 'colloquial'),
  q('业主委员会成立条件', 'kb-wy-ywh-cond', 'plain'),
  q('物业服务差投诉要什么证据', 'kb-wy-wytb-mat', 'colloquial'),
  q('物业停水催物业费', 'kb-wy-wytb-cond', 'colloquial'),
  q('业委会成立要多久', 'kb-wy-ywh-time', 'partial'),
  // 教育
  q('孩子上小学怎么报名', 'kb-jy-xxrx-flow', 'colloquial'),
  q('一年级报名要带什么', 'kb-jy-xxrx-mat', 'colloquial'),
  q('娃几岁能上小学', 'kb-jy-xxrx-cond', 'colloquial'),
  q('小学入学网上报名', 'kb-jy-xxrx-online', 'plain'),
  q('小升初怎么派位', 'kb-jy-xsc-flow', 'colloquial'),
  q('小升出对口学校', 'kb-jy-xsc-online', 'typo'),
  q('孩子转学需要什么手续', 'kb-jy-zx-mat', 'colloquial'),
  q('转校条件', 'kb-jy-zx-cond', 'colloquial'),
  q('贫困生补助怎么申请', 'kb-jy-xszz-flow', 'colloquial'),
  q('助学金一年多少钱', 'kb-jy-xszz-fee', 'colloquial'),
  q('幼儿园报名需要体检吗', 'kb-jy-yey-mat', 'colloquial'),
  q('幼儿园收赞助费', 'kb-jy-yey-fee', 'colloquial'),
  q('上幼儿园几岁', 'kb-jy-yey-cond', 'colloquial'),
  // 社保
  q('社保转到外地怎么办', 'kb-sb-ylzy-flow', 'colloquial'),
  q('养老保险转移要多久', 'kb-sb-ylzy-time', 'plain'),
  q('失业金怎么领', 'kb-sb-sybx-flow', 'colloquial'),
  q('失业金一个月多少钱', 'kb-sb-sybx-fee', 'colloquial'),
  q('领失业金条件', 'kb-sb-sybx-cond', 'colloquial'),
  q('失业保险金手机申领', 'kb-sb-sybx-online', 'plain'),
  q('自己交社保交多少', 'kb-sb-lhjy-fee', 'colloquial'),
  q('个人怎么交社保', 'kb-sb-lhjy-flow', 'colloquial'),
  q('上班受伤了怎么认定工伤', 'kb-sb-gsrd-flow', 'colloquial'),
  q('工伤认定时间', 'kb-sb-gsrd-time', 'plain'),
  q('工商认定要什么材料', 'kb-sb-gsrd-mat', 'typo'),
  q('退休人员刷脸认证', 'kb-sb-txrz-online', 'colloquial'),
  q('养老金认证多久一次', 'kb-sb-txrz-cond', 'colloquial'),
  // 医保
  q('居民医保什么时候交', 'kb-yb-jmyb-cond', 'colloquial'),
  q('医保怎么交费', 'kb-yb-jmyb-flow', 'partial'),
  q('去外地看病医保怎么报', 'kb-yb-ydjy-flow', 'colloquial'),
  q('异地就医备案手机上办', 'kb-yb-ydjy-online', 'plain'),
  q('异地备案条件', 'kb-yb-ydjy-cond', 'partial'),
  q('慢性病怎么办理', 'kb-yb-mztb-flow', 'colloquial'),
  q('门慢认定要什么材料', 'kb-yb-mztb-mat', 'partial'),
  q('看病自己垫钱了怎么报销', 'kb-yb-lxbx-flow', 'colloquial'),
  q('医保手工报销材料', 'kb-yb-lxbx-mat', 'colloquial'),
  q('报销多久到账', 'kb-yb-lxbx-time', 'colloquial'),
  q('宝宝医保怎么办', 'kb-yb-xsrcb-flow', 'colloquial'),
  q('新生儿参保交多少钱', 'kb-yb-xsrcb-fee', 'plain'),
  q('新生儿医宝', 'kb-yb-xsrcb-cond', 'typo'),
  // 户籍
  q('孩子上户口要带什么', 'kb-hj-xselh-mat', 'colloquial'),
  q('新生儿落户流程', 'kb-hj-xselh-flow', 'plain'),
  q('报户口收费吗', 'kb-hj-xselh-fee', 'colloquial'),
  q('投靠子女迁户口条件', 'kb-hj-hkqr-cond', 'colloquial'),
  q('户口迁移要多久', 'kb-hj-hkqr-time', 'plain'),
  q('外地人办居住证', 'kb-hj-jzz-flow', 'colloquial'),
  q('暂住证要什么材料', 'kb-hj-jzz-mat', 'colloquial'),
  q('居住证多少钱', 'kb-hj-jzz-fee', 'plain'),
  q('身份证丢了怎么补', 'kb-hj-sfzbl-flow', 'colloquial'),
  q('补办身份证多少钱', 'kb-hj-sfzbl-fee', 'colloquial'),
  q('身分证补领要多久', 'kb-hj-sfzbl-time', 'typo'),
  q('开亲属关系证明', 'kb-hj-hjzm-flow', 'colloquial'),
  q('户籍证明要带什么', 'kb-hj-hjzm-mat', 'partial'),
  // 城市管理
  q('门口有人乱摆摊', 'kb-cg-zdjy-cond', 'colloquial'),
  q('占道经营怎么投诉', 'kb-cg-zdjy-flow', 'plain'),
  q('店招门头牌匾要审批吗', 'kb-cg-hwgg-cond', 'colloquial'),
  q('广告牌许可要什么材料', 'kb-cg-hwgg-mat', 'partial'),
  q('装修垃圾怎么处理', 'kb-cg-jzlj-fee', 'colloquial'),
  q('建筑垃圾处置核准流程', 'kb-cg-jzlj-flow', 'plain'),
  q('邻居楼顶加盖违建', 'kb-cg-wfjs-cond', 'colloquial'),
  q('举报违章建筑', 'kb-cg-wfjs-flow', 'colloquial'),
  q('挖路许可多久批', 'kb-cg-dlwj-time', 'colloquial'),
  q('道路挖掘修复费', 'kb-cg-dlwj-fee', 'partial'),
  // 环境
  q('晚上工地施工太吵', 'kb-hb-zsrm-cond', 'colloquial'),
  q('噪音投诉怎么处理', 'kb-hb-zsrm-flow', 'colloquial'),
  q('楼下烧烤油烟太大', 'kb-hb-cyyy-cond', 'colloquial'),
  q('饭店油烟投诉流程', 'kb-hb-cyyy-flow', 'colloquial'),
  q('垃圾分几类', 'kb-hb-ljfl-cond', 'colloquial'),
  q('垃圾分类在哪查', 'kb-hb-ljfl-online', 'colloquial'),
  q('旧沙发怎么扔', 'kb-hb-dj-flow', 'colloquial'),
  q('大件垃圾清运收费', 'kb-hb-dj-fee', 'plain'),
  q('环评登记表备案', 'kb-hb-hp-flow', 'partial'),
  q('环评备案要多久', 'kb-hb-hp-time', 'partial'),
  // 交通
  q('违章怎么处理', 'kb-jt-wfcl-flow', 'colloquial'),
  q('交罚款晚了有滞纳金吗', 'kb-jt-wfcl-fee', 'colloquial'),
  q('驾照到期怎么换', 'kb-jt-jzhz-flow', 'colloquial'),
  q('驾使证换证体检', 'kb-jt-jzhz-mat', 'typo'),
  q('换驾照能网上办吗', 'kb-jt-jzhz-online', 'colloquial'),
  q('老人坐公交免费吗', 'kb-jt-lnk-fee', 'colloquial'),
  q('老年卡怎么办', 'kb-jt-lnk-flow', 'colloquial'),
  q('办老年卡要带什么', 'kb-jt-lnk-mat', 'colloquial'),
  q('路边停车怎么收费', 'kb-jt-tc-fee', 'colloquial'),
  q('出租车拒载投诉', 'kb-jt-czc-cond', 'colloquial'),
  q('打车绕路怎么投诉', 'kb-jt-czc-flow', 'colloquial'),
  // 市场监管
  q('开店办营业执照', 'kb-sj-gtgsh-flow', 'colloquial'),
  q('个体户执照要什么材料', 'kb-sj-gtgsh-mat', 'colloquial'),
  q('办个体户要钱吗', 'kb-sj-gtgsh-fee', 'colloquial'),
  q('开饭店要办食品许可证', 'kb-sj-spjy-cond', 'colloquial'),
  q('食品经营许可多久下来', 'kb-sj-spjy-time', 'plain'),
  q('买到假货怎么投诉', 'kb-sj-xfts-flow', 'colloquial'),
  q('商家不退货', 'kb-sj-xfts-cond', 'colloquial'),
  q('健身卡老板跑路了怎么退钱', 'kb-sj-yfk-flow', 'colloquial'),
  q('预付卡退费', 'kb-sj-yfk-cond', 'partial'),
  q('营业执照改地址', 'kb-sj-zzbg-flow', 'colloquial'),
  q('执照变更要带什么', 'kb-sj-zzbg-mat', 'partial'),
  // pinyin
  q('gongjijin tiqu', 'kb-zf-gjj-flow', 'pinyin'),
  q('jzdt', 'kb-wy-jzdt-cond', 'pinyin'),
  q('shebao zhuanyi', 'kb-sb-ylzy-flow', 'pinyin'),
  q('sfz bl', 'kb-hj-sfzbl-flow', 'pinyin'),
  // Added with the pinyin provider, before it was measured: a bare matter means its 条件, as above.
  q('gongzufang', 'kb-zf-gzf-cond', 'pinyin'),
  q('jiashizheng huanzheng cailiao', 'kb-jt-jzhz-mat', 'pinyin'),
  q('wyf sfbz', 'kb-wy-wyf-fee', 'pinyin'),
  q('menman', 'kb-yb-mztb-cond', 'pinyin'),
  q('laonianka', 'kb-jt-lnk-cond', 'pinyin'),
  q('zsrm tousu', 'kb-hb-zsrm-cond', 'pinyin'),
  q('shiyejin tiaojian', 'kb-sb-sybx-cond', 'pinyin'),
  q('hukou qianru liucheng', 'kb-hj-hkqr-flow', 'pinyin'),
  q('ybbx', 'kb-yb-lxbx-cond', 'pinyin'),
];
