/**
 * The panel's names for order fields, as the portals' pages label them, for the close result's parts a reply field
 * takes, for kinds of input and for an order's type and channel: the i18n's `field.*`, `source.*`, `widget.*`,
 * `type.*`, `channel.*` messages (lib/i18n/words.*.ts).
 */
import type { Channel, OrderType } from '#shared/order/intake.ts';
import { ORDER_FIELDS, type OrderField, type ReplySource, type WidgetKind } from '#shared/portal/adapter.ts';
import { CHANNEL_WORDS, ORDER_TYPE_WORDS } from '#shared/portal/vocabulary.ts';
import type { Translate } from './reason-text.ts';

const isOrderField = (key: string): key is OrderField => (ORDER_FIELDS as readonly string[]).includes(key);

/** An order field by the name the portals' pages give it, in the panel's language (`field.<key>`); another key as it is. */
export function orderFieldLabel(key: string, t: Translate): string {
  return isOrderField(key) ? t(`field.${key}`) : key;
}

/** An order's type or channel in the panel's language (`type.<value>`, `channel.<value>`); an unknown value as it is. */
export function orderValueLabel(field: 'type' | 'channel', value: string, t: Translate): string {
  // The vocabulary's keys are the values (intake.ts's lists would bring its schemas into the panel).
  if (field === 'type') return Object.hasOwn(ORDER_TYPE_WORDS, value) ? t(`type.${value as OrderType}`) : value;
  return Object.hasOwn(CHANNEL_WORDS, value) ? t(`channel.${value as Channel}`) : value;
}

/** What the teaching panel offers a reply field to take from the close result: words, never the adapter's key. */
export function replySourceLabel(source: ReplySource, t: Translate): string {
  return t(`source.${source}`);
}

/** A kind of input as a clerk or an office admin calls it (teach mode). */
export function widgetKindLabel(kind: WidgetKind, t: Translate): string {
  return t(`widget.${kind}`);
}
