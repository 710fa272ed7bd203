/**
 * Four demo 12345 portals on one small HTTP server, built with the UI
 * libraries such portals use (served from node_modules, no network):
 *   /element-plus/  Vue 3 + Element Plus single-page app
 *   /element-ui/    Vue 2 + Element UI + wangEditor
 *   /layui/         jQuery + layui, reply form in nested iframes, KindEditor
 *   /ueditor/       server-rendered HTML tables, native controls, UEditor
 *   /legacy/        a portal no built-in rule knows (teach mode, list import):
 *                   main.html list and main.html?record_number=… order page
 * Each has an order list, an order page and a reply (办理回复) form whose
 * attachments upload at once to the portal's own server. The server records
 * exactly what it received (files with their SHA-256, field values), which is
 * what the extension's end-to-end tests check.
 *
 *   npm run portals [-- --port 8790 --host 127.0.0.1 --unpadded-dates]
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPortalDate } from '#shared/portal/dates.ts';
import { PORTALS, portalOrders, type PortalName, type PortalOrder } from './data.ts';
import { layuiPage } from './layui/pages.ts';
import { ueditorPage } from './ueditor/pages.ts';
import { LEGACY_FORMAT, legacyPage } from './legacy/pages.ts';

export { PORTALS, type PortalName, type PortalOrder } from './data.ts';

export interface ReceivedFile {
  readonly id: string;
  /** The portal's attachment kind it was submitted as (e.g. `blfj` 办理附件). */
  readonly kind: string;
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Submission {
  readonly orderNo: string;
  readonly at: number;
  /** Field values exactly as the portal's form sent them. */
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly ReceivedFile[];
}

export interface Portals {
  /** Entry page of each portal (its order list). */
  readonly urls: Record<PortalName, string>;
  readonly origin: string;
  /** The orders each portal holds. */
  orders(portal: PortalName): readonly PortalOrder[];
  /** Replies submitted to a portal, in order. */
  received(portal: PortalName): readonly Submission[];
  /** Every file uploaded to a portal, submitted or not. */
  uploads(portal: PortalName): readonly Omit<ReceivedFile, 'kind'>[];
  close(): Promise<void>;
}

/** How each portal prints times on its pages (and in its API). */
export const DISPLAY_FORMATS: Record<PortalName, string> = {
  'element-plus': 'yyyy-MM-dd HH:mm:ss',
  'element-ui': 'yyyy/MM/dd HH:mm',
  layui: 'yyyy年MM月dd日 HH:mm',
  ueditor: 'yyyy-MM-dd HH:mm',
  legacy: LEGACY_FORMAT,
};

/** The format the Element Plus reply form's 联系时间 picker shows (and rewrites what is typed into). */
export const CONTACT_TIME_FORMAT = 'yyyy-MM-dd HH:mm';

/**
 * A variant of the Element Plus portal whose 联系时间 picker shows month and
 * day unpadded: typed `2026年12月03日 09时05分`, it shows `2026年12月3日 09时05分`,
 * as some portals' pickers rewrite a date into their own spelling.
 */
export const UNPADDED_CONTACT_TIME_FORMAT = 'yyyy年M月d日 HH时mm分';

export interface PortalOptions {
  readonly port?: number;
  readonly host?: string;
  readonly now?: number;
  /** The Element Plus 联系时间 picker's format, in the adapters' tokens (default CONTACT_TIME_FORMAT). */
  readonly contactTimeFormat?: string;
  /** The orders each portal holds (default: generated from the demo; `ordersFromServer` gives a seeded server's). */
  readonly orders?: Record<PortalName, PortalOrder[]>;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/** The only files served from node_modules: the UI libraries' browser builds. */
const VENDOR: Record<string, string> = {
  vue: 'vue/dist',
  'element-plus': 'element-plus/dist',
  vue2: 'vue2/dist',
  'element-ui': 'element-ui/lib',
  wangeditor: 'wangeditor/dist',
  jquery: 'jquery/dist',
  layui: 'layui/dist',
  kindeditor: 'kindeditor',
  // The `ueditor` package is a Node upload backend that ships UEditor's browser build in its example.
  ueditor: 'ueditor/example/public/ueditor',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

interface PortalState {
  readonly orders: PortalOrder[];
  readonly uploads: Map<string, Omit<ReceivedFile, 'kind'>>;
  readonly submissions: Submission[];
}

export async function startPortals(options: PortalOptions = {}): Promise<Portals> {
  const now = Math.floor((options.now ?? Date.now()) / 1000) * 1000;
  const all = options.orders ?? portalOrders(now);
  const fresh = (p: PortalName): PortalState => ({ orders: all[p], uploads: new Map(), submissions: [] });
  const state = Object.fromEntries(PORTALS.map((p) => [p, fresh(p)])) as Record<PortalName, PortalState>;
  let uploadSerial = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { code: 500, msg: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://portal.local');
    const path = decodeURIComponent(url.pathname);
    if (path === '/') return html(res, 200, indexPage());
    const vendor = /^\/vendor\/([^/]+)\/(.+)$/.exec(path);
    if (vendor) {
      const base = VENDOR[vendor[1] ?? ''];
      return base ? serveFile(res, join(NODE_MODULES, base), vendor[2] ?? '') : notFound(res);
    }
    const match = new RegExp(`^/(${PORTALS.join('|')})(/.*)?$`).exec(path);
    if (!match) return notFound(res);
    const portal = match[1] as PortalName;
    const rest = match[2] ?? '/';
    if (rest === '/') {
      // Relative URLs inside the apps need the trailing slash.
      if (!path.endsWith('/')) return redirect(res, `${path}/`);
    }
    const s = state[portal];
    const api = /^\/api\/(.+)$/.exec(rest);
    if (api) return apiRoute(portal, s, api[1] ?? '', req, res);
    if (portal === 'layui') {
      const page = layuiPage(rest, url.searchParams, s.orders, DISPLAY_FORMATS.layui);
      if (page !== null) return html(res, page.status, page.body);
    }
    if (portal === 'ueditor') {
      const page = ueditorPage(rest, url.searchParams, s.orders, DISPLAY_FORMATS.ueditor);
      if (page !== null) return html(res, page.status, page.body);
    }
    if (portal === 'legacy') {
      const page = legacyPage(rest, url.searchParams, s.orders);
      if (page !== null) return html(res, page.status, page.body);
    }
    return serveFile(res, join(HERE, portal), rest === '/' ? 'index.html' : rest.slice(1));
  }

  async function apiRoute(portal: PortalName, s: PortalState, route: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const format = DISPLAY_FORMATS[portal];
    if (req.method === 'GET' && route === 'orders') {
      return json(res, 200, { code: 0, total: s.orders.length, data: s.orders.map((o) => shown(o, format)) });
    }
    const one = /^orders\/([0-9A-Za-z-]+)$/.exec(route);
    if (req.method === 'GET' && one) {
      const order = s.orders.find((o) => o.orderNo === one[1]);
      return order ? json(res, 200, { code: 0, data: shown(order, format) }) : json(res, 404, { code: 404, msg: '工单不存在' });
    }
    if (req.method === 'POST' && route === 'upload') {
      const form = await new Response(new Uint8Array(await body(req)), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob)) return json(res, 400, { code: 400, msg: '没有文件' });
      const bytes = Buffer.from(await file.arrayBuffer());
      const id = `F${String(++uploadSerial).padStart(6, '0')}`;
      const name = file instanceof File ? file.name : 'blob';
      s.uploads.set(id, { id, name, mime: file.type, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      return json(res, 200, { code: 0, msg: '上传成功', data: { id, name, src: `/${portal}/files/${id}` } });
    }
    const reply = /^orders\/([0-9A-Za-z-]+)\/reply$/.exec(route);
    if (req.method === 'POST' && reply) {
      const order = s.orders.find((o) => o.orderNo === reply[1]);
      if (!order) return json(res, 404, { code: 404, msg: '工单不存在' });
      const payload = JSON.parse((await body(req)).toString('utf8')) as { fields?: Record<string, unknown>; attachments?: Record<string, unknown> };
      const fields = Object.fromEntries(Object.entries(payload.fields ?? {}).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
      const files: ReceivedFile[] = [];
      for (const [kind, ids] of Object.entries(payload.attachments ?? {})) {
        for (const id of Array.isArray(ids) ? ids : String(ids).split(',').filter(Boolean)) {
          const upload = s.uploads.get(String(id));
          if (!upload) return json(res, 400, { code: 400, msg: `附件 ${String(id)} 不存在` });
          files.push({ ...upload, kind });
        }
      }
      s.submissions.push({ orderNo: order.orderNo, at: Date.now(), fields, files });
      return json(res, 200, { code: 0, msg: '提交成功' });
    }
    // The reply form's settings (Element Plus): the 联系时间 picker's display format.
    if (req.method === 'GET' && route === 'settings') return json(res, 200, { code: 0, data: { contactTimeFormat: options.contactTimeFormat ?? CONTACT_TIME_FORMAT } });
    // UEditor asks its server for upload settings when it starts; the reply form uploads no images through it.
    if (req.method === 'GET' && portal === 'ueditor' && route === 'ueditor') return json(res, 200, { imageActionName: 'uploadimage', imageAllowFiles: [] });
    if (req.method === 'GET' && route === 'received') return json(res, 200, { code: 0, data: s.submissions });
    return json(res, 404, { code: 404, msg: '接口不存在' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  return {
    origin,
    urls: Object.fromEntries(PORTALS.map((p) => [p, `${origin}/${p}/`])) as Record<PortalName, string>,
    orders: (portal) => state[portal].orders,
    received: (portal) => state[portal].submissions,
    uploads: (portal) => [...state[portal].uploads.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An order as the portal's API gives it: its own field names and date format. */
function shown(o: PortalOrder, format: string): Record<string, string> {
  return {
    orderNo: o.orderNo,
    receivedAt: formatPortalDate(o.receivedAt, format),
    deadline: formatPortalDate(o.deadline, format),
    citizenName: o.citizenName,
    citizenPhone: o.citizenPhone,
    type: o.type,
    channel: o.channel,
    category: o.category,
    title: o.title,
    content: o.content,
    address: o.address,
    handlingUnit: o.handlingUnit,
  };
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serveFile(res: ServerResponse, root: string, relative: string): Promise<void> {
  const file = normalize(join(root, relative));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound(res);
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(data);
  } catch {
    notFound(res);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(text);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location });
  res.end();
}

function notFound(res: ServerResponse): void {
  html(res, 404, '<!doctype html><meta charset="utf-8"><title>404</title><p>页面不存在</p>');
}

function indexPage(): string {
  const links = PORTALS.map((p) => `<li><a href="/${p}/">${p}</a></li>`).join('');
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>12345 演示门户</title><h1>12345 演示门户</h1><ul>${links}</ul></html>`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const unpadded = args.includes('--unpadded-dates');
  const portals = await startPortals({
    port: Number(flag('--port') ?? 8790),
    host: flag('--host') ?? '127.0.0.1',
    ...(unpadded ? { contactTimeFormat: UNPADDED_CONTACT_TIME_FORMAT } : {}),
  });
  console.log('12345 演示门户 demo portals:');
  for (const p of PORTALS) console.log(`  ${p.padEnd(13)} ${portals.urls[p]}`);
  const stop = () => void portals.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
