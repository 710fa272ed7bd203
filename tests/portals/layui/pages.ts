/**
 * The layui portal's server-rendered pages, in the style of a JSP-era system:
 * a shell with a left menu and a main iframe; an order list; an order page as
 * a table with labels in cells; and a handling page whose form sits in a
 * second, inner iframe with opaque field names (note1 … note12), layui radios
 * and selects, laydate inputs with the portal's own formats, KindEditor for
 * the public reply and plain file inputs that upload with jQuery at once.
 * Order text goes through `escape` everywhere: it is data, never markup.
 */
import { formatPortalDate } from '#shared/portal/dates.ts';
import { escapeHtml as escape } from '#shared/portal/richtext.ts';
import type { PortalOrder } from '../data.ts';

export interface ServerPage {
  readonly status: number;
  readonly body: string;
}

const HEAD = (title: string, extra = '') => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title>
<link rel="stylesheet" href="/vendor/layui/css/layui.css"><link rel="stylesheet" href="/layui/css/portal.css">${extra}</head>`;

/** Server-rendered pages of the layui portal; null for static files. */
export function layuiPage(path: string, query: URLSearchParams, orders: readonly PortalOrder[], format: string): ServerPage | null {
  const time = (t: number) => formatPortalDate(t, format);
  if (path === '/order/list') return ok(listPage(orders, time));
  const order = orders.find((o) => o.orderNo === query.get('no'));
  if (path === '/order/view' || path === '/order/handle' || path === '/order/handle-form') {
    if (!order) return { status: 404, body: `${HEAD('工单不存在')}<body><p class="empty">工单不存在</p></body></html>` };
    if (path === '/order/view') return ok(viewPage(order, time));
    if (path === '/order/handle') return ok(handlePage(order, time));
    return ok(handleFormPage(order));
  }
  return null;
}

function ok(body: string): ServerPage {
  return { status: 200, body };
}

function listPage(orders: readonly PortalOrder[], time: (t: number) => string): string {
  const rows = orders
    .map(
      (o) => `<tr><td>${escape(o.orderNo)}</td><td>${escape(o.title)}</td><td>${escape(o.type)}</td><td>${escape(time(o.deadline))}</td>
<td><a class="layui-btn layui-btn-xs" href="javascript:;" data-open="view" data-no="${escape(o.orderNo)}">查看</a>
<a class="layui-btn layui-btn-xs layui-btn-normal" href="javascript:;" data-open="handle" data-no="${escape(o.orderNo)}">处置</a></td></tr>`,
    )
    .join('\n');
  return `${HEAD('待处置工单')}<body class="inner">
<fieldset class="layui-elem-field layui-field-title"><legend>待处置工单</legend></fieldset>
<table class="layui-table" lay-size="sm"><thead><tr><th>工单编号</th><th>标题</th><th>诉求类型</th><th>办理时限</th><th>操作</th></tr></thead>
<tbody>${rows}</tbody></table>
<script src="/vendor/jquery/jquery.min.js"></script>
<script>$(document).on('click', '[data-open]', function () { parent.openPage($(this).data('open'), String($(this).data('no'))); });</script>
</body></html>`;
}

function viewPage(o: PortalOrder, time: (t: number) => string): string {
  const row = (a: string, av: string, b: string, bv: string) =>
    `<tr><td class="td-label">${a}</td><td>${escape(av)}</td><td class="td-label">${b}</td><td>${escape(bv)}</td></tr>`;
  const wide = (a: string, av: string) => `<tr><td class="td-label">${a}</td><td colspan="3">${escape(av)}</td></tr>`;
  return `${HEAD('工单详情')}<body class="inner">
<fieldset class="layui-elem-field layui-field-title"><legend>工单详情</legend></fieldset>
<table class="layui-table order-view">
${row('工单编号', o.orderNo, '来源渠道', o.channel)}
${row('来电人', o.citizenName, '联系电话', o.citizenPhone)}
${row('来电时间', time(o.receivedAt), '办理时限', time(o.deadline))}
${row('诉求类型', o.type, '诉求分类', o.category)}
${wide('标题', o.title)}
${wide('诉求内容', o.content)}
${wide('事发地址', o.address)}
${wide('承办单位', o.handlingUnit)}
</table>
<button class="layui-btn" onclick="parent.openPage('handle', '${escape(o.orderNo)}')">处置</button>
</body></html>`;
}

function handlePage(o: PortalOrder, time: (t: number) => string): string {
  return `${HEAD('工单处置')}<body class="inner">
<fieldset class="layui-elem-field layui-field-title"><legend>工单处置</legend></fieldset>
<blockquote class="layui-elem-quote">工单 ${escape(o.orderNo)} · ${escape(o.title)} · 办理时限 ${escape(time(o.deadline))}</blockquote>
<div class="layui-tab layui-tab-brief"><ul class="layui-tab-title"><li class="layui-this">处置登记</li></ul></div>
<iframe name="handleFrame" class="handle-frame" src="/layui/order/handle-form?no=${encodeURIComponent(o.orderNo)}" frameborder="0"></iframe>
</body></html>`;
}

function handleFormPage(o: PortalOrder): string {
  const radios = (name: string, options: [string, string][]) =>
    options.map(([value, title]) => `<input type="radio" name="${name}" value="${value}" title="${title}">`).join('');
  // 办理附件 takes one file at a time, as many older upload inputs do.
  const upload = (label: string, kind: string, multiple = true) => `<tr><td class="td-label">${label}</td><td colspan="3">
<input type="file" class="att-input" name="file_${kind}" data-kind="${kind}"${multiple ? ' multiple' : ''} accept="image/*">
<ul class="att-list" id="list-${kind}"></ul><input type="hidden" name="att_${kind}" value=""></td></tr>`;
  return `${HEAD('处置登记', '<link rel="stylesheet" href="/vendor/kindeditor/themes/default/default.css">')}<body class="form-body">
<form class="layui-form" id="handleForm" lay-filter="handleForm" onsubmit="return false">
<input type="hidden" name="orderNo" value="${escape(o.orderNo)}">
<table class="layui-table form-table">
<tr><td class="td-label"><span class="req">*</span>诉求属实</td><td>${radios('note1', [['1', '是'], ['0', '否']])}</td>
<td class="td-label">超职责诉求</td><td>${radios('note2', [['1', '是'], ['0', '否']])}</td></tr>
<tr><td class="td-label">申请类型</td><td><select name="note3" lay-filter="note3"><option value="">请选择</option><option value="10">办结申请</option><option value="20">退单申请</option><option value="30">延期申请</option></select></td>
<td class="td-label">联系群众</td><td>${radios('note4', [['1', '已联系'], ['0', '未联系']])}</td></tr>
<tr><td class="td-label">联系方式</td><td><select name="note10" lay-ignore class="native-select"><option value="">--请选择--</option><option value="01">电话</option><option value="02">上门</option><option value="03">短信</option><option value="09">其他</option></select></td>
<td class="td-label">联系号码</td><td><input type="text" name="note5" class="layui-input" autocomplete="off"></td></tr>
<tr>
<td class="td-label">联系时间</td><td colspan="3"><input type="text" name="note6" id="note6" class="layui-input" placeholder="年月日 时分" autocomplete="off"></td></tr>
<tr><td class="td-label"><span class="req">*</span>是否解决</td><td>${radios('note7', [['1', '已解决'], ['2', '部分解决'], ['0', '未解决']])}</td>
<td class="td-label">办结时间</td><td><input type="text" name="note12" id="note12" class="layui-input" placeholder="yyyy/MM/dd" autocomplete="off"></td></tr>
<tr><td class="td-label">未解决原因</td><td colspan="3"><textarea name="note8" class="layui-textarea"></textarea></td></tr>
<tr><td class="td-label">办理情况</td><td colspan="3"><textarea name="note9" class="layui-textarea" lay-verify="required" lay-reqtext="请填写办理情况"></textarea></td></tr>
<tr><td class="td-label">公开答复内容</td><td colspan="3"><textarea name="note11" id="note11" class="reply-editor"></textarea></td></tr>
${upload('证件附件', 'zjfj')}
${upload('联系证据', 'lxzj')}
${upload('办理附件', 'blfj', false)}
</table>
<div class="form-actions"><button type="button" class="layui-btn" lay-submit lay-filter="doSubmit" id="btnSubmit">提交</button>
<span id="submitTip" class="submit-tip"></span></div>
</form>
<script src="/vendor/layui/layui.js"></script>
<script src="/vendor/kindeditor/kindeditor-all-min.js"></script>
<script src="/vendor/kindeditor/lang/zh-CN.js"></script>
<script src="/layui/js/handle-form.js"></script>
</body></html>`;
}
