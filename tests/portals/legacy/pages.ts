/**
 * The legacy portal: a 12345 system none of the built-in rules know, used to
 * teach Lianxin a portal from nothing (teach mode) and to import from a list.
 * Server-rendered like an old JSP system: one `main.html` is the order list
 * and, with `?record_number=…`, an order's page; `detail.html?record_number=…
 * &sid=…` is the reply form (a session id in the query, as such systems do).
 * Its words are its own (求助件, 联系结果 with 无法联系), its times unpadded
 * (`2026年12月3日 9时05分`), its required fields marked with a red `*`.
 * The list also shows a withdrawn order whose page no longer opens, as lists
 * lag behind. Order text goes through `escape`: it is data, never markup.
 */
import { formatPortalDate } from '#shared/portal/dates.ts';
import { escapeHtml as escape } from '#shared/portal/richtext.ts';
import type { PortalOrder } from '../data.ts';
import type { ServerPage } from '../ueditor/pages.ts';

/** How the legacy portal prints times. */
export const LEGACY_FORMAT = 'yyyy年M月d日 H时mm分';
/** The withdrawn order the list still shows. */
export const WITHDRAWN_ORDER_NO = '261100000000000001';
/** The portal's words for order types. */
const TYPE_WORDS: Record<string, string> = { 求助: '求助件', 咨询: '咨询件', 投诉: '投诉件', 建议: '建议件', 表扬: '表扬件' };
const SID = 'S7f3a9c01';

const HEAD = (title: string) => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)} - 市民热线工单处置平台</title>
<link rel="stylesheet" href="/legacy/portal.css"></head>`;
const BANNER = `<div class="top">市民热线工单处置平台 <span class="who">当前用户：街道受理员</span></div>`;

export function legacyPage(path: string, query: URLSearchParams, orders: readonly PortalOrder[]): ServerPage | null {
  const time = (t: number) => formatPortalDate(t, LEGACY_FORMAT);
  const recordNo = query.get('record_number');
  if (path === '/' || path === '/main.html') {
    if (recordNo === null) return ok(listPage(orders, time));
    const order = orders.find((o) => o.orderNo === recordNo);
    return order ? ok(viewPage(order, time)) : gone();
  }
  if (path === '/detail.html') {
    const order = orders.find((o) => o.orderNo === recordNo);
    return order ? ok(replyPage(order, time)) : gone();
  }
  return null;
}

function ok(body: string): ServerPage {
  return { status: 200, body };
}

function gone(): ServerPage {
  return { status: 404, body: `${HEAD('提示')}<body>${BANNER}<p class="msg">该工单已撤回或不存在</p></body></html>` };
}

function listPage(orders: readonly PortalOrder[], time: (t: number) => string): string {
  const row = (o: Pick<PortalOrder, 'orderNo' | 'title' | 'district' | 'street' | 'community' | 'receivedAt'>) => `<tr>
<td><input type="checkbox" name="chk" value="${escape(o.orderNo)}"></td><td>${escape(o.orderNo)}</td><td>${escape(o.title)}</td>
<td>${escape(o.district)}</td><td>${escape(o.street)}</td><td>${escape(o.community)}</td><td>${escape(time(o.receivedAt))}</td>
<td><a class="lnk-view" href="main.html?record_number=${encodeURIComponent(o.orderNo)}">查看</a> <a class="lnk-do" href="detail.html?record_number=${encodeURIComponent(o.orderNo)}&amp;sid=${SID}">处置</a></td></tr>`;
  const first = orders[0];
  const withdrawn = first ? row({ ...first, orderNo: WITHDRAWN_ORDER_NO, title: '（已撤回）' }) : '';
  const rows = orders.slice(0, 2).map(row).join('') + withdrawn + orders.slice(2).map(row).join('');
  return `${HEAD('待处置工单')}<body>${BANNER}
<div class="box"><div class="box-title">待处置工单</div>
<table class="tab-list" id="gdList" cellspacing="0">
<tr><th>选择</th><th>工单编号</th><th>工单标题</th><th>所属区县</th><th>所属街道</th><th>所属社区</th><th>来电时间</th><th>操作</th></tr>
${rows}
</table></div>
</body></html>`;
}

function viewPage(o: PortalOrder, time: (t: number) => string): string {
  const cell = (label: string, value: string, span = 1) => `<th>${label}</th><td${span > 1 ? ` colspan="${span}"` : ''}>${escape(value)}</td>`;
  return `${HEAD('工单详情')}<body>${BANNER}
<div class="box"><div class="box-title">工单详情</div>
<table class="tab-info" cellspacing="0">
<tr>${cell('工单编号', o.orderNo)}${cell('诉求类别', TYPE_WORDS[o.type] ?? o.type)}</tr>
<tr>${cell('来电人', o.citizenName)}${cell('来电号码', o.citizenPhone)}</tr>
<tr>${cell('来电时间', time(o.receivedAt))}${cell('处置时限', time(o.deadline))}</tr>
<tr>${cell('所属区县', o.district)}${cell('所属街道', o.street)}</tr>
<tr>${cell('所属社区', o.community)}${cell('问题分类', o.category)}</tr>
<tr>${cell('工单标题', o.title, 3)}</tr>
<tr>${cell('来电内容', o.content, 3)}</tr>
<tr>${cell('问题地址', o.address, 3)}</tr>
</table>
<p class="ops"><a href="detail.html?record_number=${encodeURIComponent(o.orderNo)}&amp;sid=${SID}">处置</a> <a href="main.html">返回列表</a></p></div>
</body></html>`;
}

function replyPage(o: PortalOrder, time: (t: number) => string): string {
  const req = '<span class="req">*</span>';
  return `${HEAD('工单处置')}<body>${BANNER}
<div class="box"><div class="box-title">工单处置</div>
<table class="tab-info" cellspacing="0">
<tr><th>工单编号</th><td><span id="lblRecordNo">${escape(o.orderNo)}</span></td><th>处置时限</th><td>${escape(time(o.deadline))}</td></tr>
<tr><th>工单标题</th><td colspan="3">${escape(o.title)}</td></tr>
</table>
<form name="frmDispose" id="frmDispose" onsubmit="return false">
<input type="hidden" name="record_number" value="${escape(o.orderNo)}">
<table class="tab-form" cellspacing="0">
<tr><th>${req}联系结果</th><td><select name="p_lxjg"><option value="">请选择</option><option value="1">已联系</option><option value="2">无法联系</option><option value="0">未联系</option></select></td></tr>
<tr><th>联系时间</th><td><input type="text" name="p_lxsj" size="24" title="例：2026年1月5日 9时05分" autocomplete="off"></td></tr>
<tr><th>${req}处置结果</th><td><label><input type="radio" name="p_czjg" value="Y">已办结</label> <label><input type="radio" name="p_czjg" value="N">未办结</label></td></tr>
<tr><th>${req}处置情况</th><td><textarea name="p_czqk" rows="4" cols="70"></textarea></td></tr>
<tr><th>回复群众</th><td><textarea name="p_hfnr" rows="3" cols="70"></textarea></td></tr>
<tr><th>现场图片</th><td><input type="file" class="up-file" name="up_xctp" data-kind="xctp" multiple accept="image/*"><ul class="up-list" id="list-xctp"></ul><input type="hidden" name="att_xctp" value=""></td></tr>
</table>
<p class="ops"><input type="button" id="btnSave" value="提交处置"> <span id="tip"></span></p>
</form></div>
<script src="/legacy/reply.js"></script>
</body></html>`;
}
