/** The panel's names for order fields, as the portals' pages label them, and for the close result's parts a reply field takes. */
import type { ReplySource } from '#shared/portal/adapter.ts';
import type { Channel, OrderType } from '#shared/order/intake.ts';
import { SOURCE_NAMES } from '#shared/portal/reply-plan.ts';
import { CHANNEL_WORDS, ORDER_TYPE_WORDS } from '#shared/portal/vocabulary.ts';
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

/** An order's type or channel as the panel shows it: the portals' usual word in Chinese, our value in English. */
export function orderValueLabel(field: 'type' | 'channel', value: string, locale: Locale): string {
  if (locale === 'en') return value;
  const words: Record<string, readonly string[]> = field === 'type' ? (ORDER_TYPE_WORDS satisfies Record<OrderType, readonly string[]>) : (CHANNEL_WORDS satisfies Record<Channel, readonly string[]>);
  return words[value]?.[0] ?? value;
}

/** The close result's parts in English (Chinese: the engine's SOURCE_NAMES, which its reasons use too). */
const SOURCE_NAMES_EN: Record<ReplySource, string> = {
  founded: 'Request founded',
  beyondRemit: 'Beyond our remit',
  resolution: 'Resolved or not',
  unresolvedReason: 'Why not resolved',
  contacted: 'Citizen contacted',
  contactMethod: 'How contacted',
  contactNumber: 'Number used',
  contactTime: 'When contacted',
  actions: 'What was done',
  publicReply: 'Public reply',
  resultCategory: 'Application type',
  closedAt: 'Closed on',
  orderNo: 'Order number',
  'photos.handling': 'Handling photos',
  'photos.contact': 'Contact proof photos',
  'photos.document': 'ID document photos',
  fixed: 'Fixed text',
};

/** What the teaching panel offers a reply field to take from the close result: words, never the adapter's key. */
export function replySourceLabel(source: ReplySource, locale: Locale): string {
  return locale === 'en' ? SOURCE_NAMES_EN[source] : SOURCE_NAMES[source];
}
