import type { PortalOrder } from '../data.ts';

export interface ServerPage {
  readonly status: number;
  readonly body: string;
}

/** Server-rendered pages of the layui portal; null for static files. */
export function layuiPage(_path: string, _query: URLSearchParams, _orders: readonly PortalOrder[], _format: string): ServerPage | null {
  return null;
}
