/**
 * The UEditor portal's server-rendered pages, in the style of an older
 * government system: plain HTML tables with labels in <td>, opaque field
 * names (fld01 …), native radios and select, text dates, and UEditor (Baidu,
 * served from the `ueditor` npm package's bundled front end) in the two ways
 * pages set it up: 办理情况 over a <script type="text/plain"> (UEditor adds
 * the textarea it submits only when it syncs), 公开答复内容 over a textarea.
 * No build step and no UI framework. Order text goes through `escape`
 * everywhere: it is data, never markup.
 */
import { formatPortalDate } from '#shared/portal/dates.ts';
import { escapeHtml as escape } from '#shared/portal/richtext.ts';
import type { PortalOrder } from '../data.ts';

export interface ServerPage {
  readonly status: number;
  readonly body: string;
}

const HEAD = (title: string) => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)} - 12345政务服务便民热线工单系统</title>
<link rel="stylesheet" href="/ueditor/portal.css"></head>`;

const BANNER = `<div class="banner">12345政务服务便民热线 · 工单办理系统</div>`;

/** Server-rendered pages of the UEditor portal; null for static files. */
export function ueditorPage(path: string, query: URLSearchParams, orders: readonly PortalOrder[], format: string): ServerPage | null {
  const time = (t: number) => formatPortalDate(t, format);
  if (path === '/') return ok(listPage(orders, time));
  if (path === '/workorder/view.do' || path === '/workorder/reply.do') {
    const order = orders.find((o) => o.orderNo === query.get('gdbh'));
    if (!order) return { status: 404, body: `${HEAD('工单不存在')}<body>${BANNER}<p class="empty">工单不存在</p></body></html>` };
    return ok(path === '/workorder/view.do' ? viewPage(order, time) : replyPage(order, time));
  }
  return null;
}

function ok(body: string): ServerPage {
  return { status: 200, body };
}

const link = (page: 'view' | 'reply', o: PortalOrder) => `workorder/${page}.do?gdbh=${encodeURIComponent(o.orderNo)}`;

function listPage(orders: readonly PortalOrder[], time: (t: number) => string): string {
  const rows = orders
    .map(
      (o) => `<tr><td>${escape(o.orderNo)}</td><td>${escape(o.title)}</td><td>${escape(o.type)}</td><td>${escape(time(o.deadline))}</td>
<td><a href="${link('view', o)}">查看</a> | <a href="${link('reply', o)}">办理</a></td></tr>`,
    )
    .join('\n');
  return `${HEAD('待办工单')}<body>${BANNER}
<h3 class="caption">待办工单</h3>
<table class="grid" cellspacing="0" cellpadding="4"><tr class="head"><td>工单编号</td><td>诉求标题</td><td>诉求类型</td><td>办理时限</td><td>操作</td></tr>
${rows}</table>
</body></html>`;
}

function viewPage(o: PortalOrder, time: (t: number) => string): string {
  const row = (a: string, av: string, b: string, bv: string) =>
    `<tr><td class="label">${a}：</td><td>${escape(av)}</td><td class="label">${b}：</td><td>${escape(bv)}</td></tr>`;
  const wide = (a: string, av: string) => `<tr><td class="label">${a}：</td><td colspan="3">${escape(av)}</td></tr>`;
  return `${HEAD('工单信息')}<body>${BANNER}
<h3 class="caption">工单信息</h3>
<table class="form gdxx" cellspacing="0" cellpadding="4">
${row('工单编号', o.orderNo, '受理渠道', o.channel)}
${row('来电人姓名', o.citizenName, '来电号码', o.citizenPhone)}
${row('受理时间', time(o.receivedAt), '办理时限', time(o.deadline))}
${row('诉求类型', o.type, '业务分类', o.category)}
${wide('诉求标题', o.title)}
${wide('诉求内容', o.content)}
${wide('事发地点', o.address)}
${wide('承办单位', o.handlingUnit)}
</table>
<p class="actions"><a class="btn" href="reply.do?gdbh=${encodeURIComponent(o.orderNo)}">办理</a> <a class="btn" href="../">返回</a></p>
</body></html>`;
}

function replyPage(o: PortalOrder, time: (t: number) => string): string {
  const radios = (name: string, options: [string, string][]) =>
    options.map(([value, text]) => `<input type="radio" name="${name}" id="${name}_${value}" value="${value}"><label for="${name}_${value}">${text}</label>`).join(' ');
  // 现场照片 takes one file at a time, as many older upload inputs do.
  const upload = (label: string, kind: string, multiple = true) => `<tr><td class="label">${label}：</td><td colspan="3">
<input type="file" class="att-input" name="file_${kind}" data-kind="${kind}"${multiple ? ' multiple' : ''} accept="image/*">
<ul class="att-list" id="list-${kind}"></ul><input type="hidden" name="att_${kind}" value=""></td></tr>`;
  return `${HEAD('工单办理')}<body>${BANNER}
<h3 class="caption">工单办理</h3>
<table class="form" cellspacing="0" cellpadding="4">
<tr><td class="label">工单编号：</td><td>${escape(o.orderNo)}</td><td class="label">办理时限：</td><td>${escape(time(o.deadline))}</td></tr>
<tr><td class="label">诉求标题：</td><td colspan="3">${escape(o.title)}</td></tr>
</table>
<form id="replyForm" name="replyForm" method="post" action="#" onsubmit="return false">
<input type="hidden" name="gdbh" value="${escape(o.orderNo)}">
<table class="form" cellspacing="0" cellpadding="4">
<tr><td class="label"><font color="red">*</font>诉求是否属实：</td><td>${radios('fld01', [['1', '是'], ['0', '否']])}</td>
<td class="label">是否超出职责范围：</td><td>${radios('fld02', [['1', '是'], ['0', '否']])}</td></tr>
<tr><td class="label">处理结果：</td><td><select name="fld03" required><option value="">--请选择--</option><option value="A">已解决</option><option value="B">部分解决</option><option value="C">未解决</option></select></td>
<td class="label">是否联系群众：</td><td>${radios('fld04', [['1', '已联系'], ['0', '未联系']])}</td></tr>
<tr><td class="label">联系方式：</td><td>${radios('fld05', [['01', '电话'], ['02', '上门'], ['03', '短信'], ['09', '其他']])}</td>
<td class="label">联系电话：</td><td><input type="text" name="fld06" size="20" autocomplete="off"></td></tr>
<tr><td class="label">联系时间：</td><td><input type="text" name="fld07" class="Wdate" size="20" title="格式：2026-01-31 09:30" autocomplete="off"></td>
<td class="label">办结日期：</td><td><input type="text" name="fld11" class="Wdate" size="12" title="格式：20260131" autocomplete="off"></td></tr>
<tr><td class="label">未解决原因：</td><td colspan="3"><textarea name="fld08" rows="3" cols="80"></textarea></td></tr>
<tr><td class="label"><font color="red">*</font>办理情况：</td><td colspan="3"><script id="fld09" name="fld09" type="text/plain"></script></td></tr>
<tr><td class="label">公开答复内容：</td><td colspan="3"><textarea name="fld10" id="fld10"></textarea></td></tr>
${upload('证件材料', 'zjcl')}
${upload('联系凭证', 'lxpz')}
${upload('现场照片', 'xczp', false)}
</table>
<p class="actions"><input type="button" class="btn" id="btnSubmit" value="提 交"> <span id="submitTip"></span></p>
</form>
<script>window.UEDITOR_HOME_URL = '/vendor/ueditor/';</script>
<script src="/vendor/ueditor/ueditor.config.js"></script>
<script src="/vendor/ueditor/ueditor.all.min.js"></script>
<script src="/ueditor/reply.js"></script>
</body></html>`;
}
