/** The adapters that ship with the extension: the four demo portals. Checked by the same parser as imported ones. */
import type { PortalAdapter } from './adapter.ts';
import { parseAdapter } from './parse.ts';
import elementPlus from './adapters/element-plus.json';
import elementUi from './adapters/element-ui.json';
import layui from './adapters/layui.json';
import ueditor from './adapters/ueditor.json';
import { formatErrors } from '../validation/result.ts';

function builtIn(json: unknown): PortalAdapter {
  const parsed = parseAdapter(json);
  if (!parsed.ok) throw new Error(`built-in adapter is invalid: ${formatErrors(parsed.errors)}`);
  return parsed.value;
}

export const BUILTIN_ADAPTERS: readonly PortalAdapter[] = [builtIn(elementPlus), builtIn(elementUi), builtIn(layui), builtIn(ueditor)];

export function builtinAdapter(id: string): PortalAdapter | undefined {
  return BUILTIN_ADAPTERS.find((a) => a.id === id);
}
