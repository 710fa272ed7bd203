/** The panel's names for order fields, as the portals' pages label them. */
import type { Locale } from '../../lib/settings.ts';

const LABELS: Record<string, readonly [string, string]> = {
  orderNo: ['工单编号', 'Order number'],
  title: ['标题', 'Title'],
  type: ['诉求类型', 'Type'],
  channel: ['来源渠道', 'Channel'],
  category: ['诉求分类', 'Category'],
  receivedAt: ['受理时间', 'Received'],
  deadline: ['办理时限', 'Deadline'],
  citizenName: ['来电人', 'Citizen'],
  citizenPhone: ['联系电话', 'Phone'],
  address: ['事发地址', 'Address'],
  handlingUnit: ['承办单位', 'Handling unit'],
  content: ['诉求内容', 'Request'],
  district: ['区县', 'District'],
  street: ['街道', 'Street'],
  community: ['社区', 'Community'],
};

export function orderFieldLabel(key: string, locale: Locale): string {
  const pair = LABELS[key];
  return pair ? pair[locale === 'en' ? 1 : 0] : key;
}
