/**
 * The names the panel gives what the clerk and the admin pick or read (teach mode, the import's fields, the
 * reasons' variables), Chinese: an order field (`field.<key>`), a part of the close result a reply field takes
 * (`source.<key>`) and a kind of input (`widget.<kind>`). Every key is required here and in words.en.ts, so a
 * field, source or kind without its name in both languages fails the type check.
 */
import type { OrderField, ReplySource, WidgetKind } from '#shared/portal/adapter.ts';

export type WordKey = `field.${OrderField}` | `source.${ReplySource}` | `widget.${WidgetKind}`;

export const wordsZhCN: Record<WordKey, string> = {
  'field.orderNo': '工单编号',
  'field.title': '标题',
  'field.type': '诉求类型',
  'field.channel': '来源渠道',
  'field.category': '诉求分类',
  'field.receivedAt': '受理时间',
  'field.deadline': '办理时限',
  'field.citizenName': '来电人',
  'field.citizenPhone': '联系电话',
  'field.address': '事发地址',
  'field.handlingUnit': '承办单位',
  'field.content': '诉求内容',
  'field.district': '区县',
  'field.street': '街道',
  'field.community': '社区',
  'source.founded': '诉求属实',
  'source.beyondRemit': '超职责诉求',
  'source.resolution': '是否解决',
  'source.unresolvedReason': '未解决原因',
  'source.contacted': '联系群众',
  'source.contactMethod': '联系方式',
  'source.contactNumber': '联系号码',
  'source.contactTime': '联系时间',
  'source.actions': '办理情况',
  'source.publicReply': '公开答复内容',
  'source.resultCategory': '申请类型',
  'source.closedAt': '办结时间',
  'source.orderNo': '工单编号',
  'source.photos.handling': '办理附件照片',
  'source.photos.contact': '联系证据照片',
  'source.photos.document': '证件附件照片',
  'source.fixed': '固定文字',
  'widget.text': '单行文字',
  'widget.textarea': '多行文字',
  'widget.select': '下拉选择',
  'widget.radio': '单选（圆点）',
  'widget.checkbox': '勾选框',
  'widget.element-plus-select': '下拉选择（Element Plus 门户）',
  'widget.element-ui-select': '下拉选择（Element UI 门户）',
  'widget.layui-select': '下拉选择（layui 门户）',
  'widget.date': '日期时间',
  'widget.richtext': '带格式的文字框（编辑器）',
  'widget.file': '上传附件',
};
