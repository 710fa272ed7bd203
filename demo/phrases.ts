/** What clerks, supervisors and handlers write around a case: returns, extensions, call-backs, 督办. */
import type { RETURN_CODES } from '#shared/order/events.ts';

type ReturnCode = (typeof RETURN_CODES)[number];

export const RETURN_REASONS: Readonly<Record<ReturnCode, readonly string[]>> = {
  wrong_jurisdiction: ['经现场核实，该地址不在本网格范围内，请改派。', '事发地点属于相邻网格，已与对方网格员沟通，请重新派单。'],
  beyond_remit: ['该问题属于供电公司职责范围，网格无法处置，请转相关单位。', '涉及房屋产权纠纷，超出社区职责，建议引导市民通过诉讼解决。'],
  duplicate: ['与本周已受理工单反映同一问题，属重复诉求，请并单处理。'],
  info_missing: ['工单地址不详，多次拨打市民电话无人接听，无法核实，请补充信息。'],
  other: ['市民表示问题已自行解决，申请退回。'],
};

export const REDISPATCH_NOTES = ['已核实属地，重新派单。', '按退回意见改派。'] as const;

export const DISPATCH_NOTES = ['请尽快联系市民并到现场核实。', '请按时限办结，注意留存现场照片。', '市民情绪较急，请优先处理。'] as const;

export const EXTENSION_REASONS = [
  '需协调产权单位共同处理，申请延期5个工作日。',
  '维修材料需要采购，预计一周内到货，申请延期。',
  '涉及多个部门，正在协调，申请延期办理。',
] as const;

export const EXTENSION_REFUSALS = ['问题较为简单，请在原时限内办结。', '延期理由不充分，请抓紧办理。'] as const;

export const SUPERVISE_NOTES = {
  reminder: ['工单已超期，请尽快办结并说明原因。', '工单即将到期，请抓紧办理。'],
  warning: ['工单超期未办结，发出预警函，请于2个工作日内办结。'],
  listed: ['群众多次反映，列入挂牌督办，请主要负责人亲自协调。'],
} as const;

export const REVIEW_NOTES = ['办理规范，同意办结。', '情况属实，处理到位。'] as const;
export const REVIEW_REJECTIONS = ['办理情况描述不清，缺少办理后照片，请补充后重新办结。', '未联系市民说明情况，请联系后重新办结。'] as const;

export const PORTAL_NAME = '示范市12345政务服务便民热线平台';
export const PORTAL_REPLY_NOTES = ['已录入热线平台。', '办理结果已回复热线平台。'] as const;

export const CALLBACK_NOTES = {
  satisfied: ['市民表示满意。', '市民对处理结果表示满意，感谢工作人员。'],
  basic: ['市民表示基本满意，希望加强日常管理。', '市民表示基本满意，问题基本解决。'],
  unsatisfied: ['市民表示问题没有解决，要求重新处理。', '市民表示处理后问题又出现了，不满意。'],
} as const;

export const REOPEN_REASONS = ['回访不满意：问题反复出现，请重新办理。', '回访不满意：市民反映问题未解决，请重办。'] as const;

export const MERGE_NOTES = ['与该工单反映同一问题，并单处理。'] as const;

export const CHECK_IN_NOTES = ['已到现场。', '到场核实。', '与物业一同到场。'] as const;

/** Notes of a second round, after a rejected review or an unsatisfied call-back. */
export const REDO_PROGRESS = ['按审核意见补充办理。', '再次到现场核实，督促责任单位整改。', '已再次联系市民，说明整改情况。'] as const;

export const EXTRA_PROGRESS = ['已电话联系市民，约定上门时间。', '已向社区报告，协调相关单位。', '正在等待相关单位回复。'] as const;

export const UNRESOLVED_REASONS = {
  partly: ['已临时处置，彻底解决需纳入明年改造计划。', '已基本处理，剩余部分需等待天气好转后施工。'],
  unresolved: ['涉及历史遗留问题，已向上级部门报告，暂无法解决。', '市民诉求超出现行政策范围，已做好解释工作。'],
} as const;

export const UNFOUNDED = {
  actions: '经现场核实，未发现市民所反映的问题，已向市民电话说明核实情况。',
  reply: '经现场核实，未发现您所反映的问题。如有新情况，欢迎再次反映。感谢您对12345热线工作的理解和支持。',
} as const;

export const NOT_CONTACTED_NOTES = ['市民电话多次无人接听，已发送短信告知办理结果。', '市民未留有效联系方式。'] as const;
export const CONTACT_NOTES = ['已向市民说明办理情况。', '市民认可处理方案。'] as const;

export const PHOTO_CAPTIONS = {
  before: ['处理前现场', '现场情况'],
  after: ['处理后现场', '整改完成'],
  contact: ['上门沟通', '与市民现场沟通'],
  document: ['相关证明材料'],
} as const;
