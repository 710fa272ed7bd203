/**
 * The adapters the extension knows: the built-in ones (shared/portal/adapters)
 * and those an admin imported from a file or saved in teach mode, kept in
 * extension storage. Every adapter is checked against the adapter schema
 * before it is stored; one that no longer passes (a newer format) is skipped.
 */
import { PortalAdapterSchema, type PortalAdapter } from '#shared/portal/adapter.ts';
import { formatErrors, validate } from '#shared/validation/result.ts';
import { RequestError } from '../../lib/messaging.ts';
import { importedAdaptersItem } from '../../lib/settings.ts';
import { BUILTIN_ADAPTERS } from '#shared/portal/builtin.ts';

export function builtInAdapters(): PortalAdapter[] {
  return [...BUILTIN_ADAPTERS];
}

export async function importedAdapters(): Promise<PortalAdapter[]> {
  const stored = await importedAdaptersItem.getValue();
  return stored.flatMap((raw) => {
    const checked = validate(PortalAdapterSchema, raw);
    return checked.ok ? [checked.value] : [];
  });
}

/** What a portal panel works with: every valid adapter, an imported one winning over a built-in one with its id (an admin fixed a changed portal). */
export async function usableAdapters(): Promise<PortalAdapter[]> {
  const seen = new Set<string>();
  return [...(await importedAdapters()), ...builtInAdapters()].filter((a) => !seen.has(a.id) && seen.add(a.id));
}

/** Check every adapter first; store none unless all pass, so an import never half-happens. */
export async function importAdapters(raws: readonly unknown[]): Promise<string[]> {
  const adapters: PortalAdapter[] = [];
  for (const [index, raw] of raws.entries()) {
    const checked = validate(PortalAdapterSchema, raw);
    if (!checked.ok) throw new RequestError('invalid_adapter', `第 ${index + 1} 套门户识别规则不合格：${formatErrors(checked.errors)}`, checked.errors[0]?.field, { n: index + 1, errors: formatErrors(checked.errors) });
    adapters.push(checked.value);
  }
  const ids = adapters.map((a) => a.id);
  if (new Set(ids).size !== ids.length) throw new RequestError('duplicate_adapter_id', '文件中有重复的识别规则编号（id）');
  const kept = (await importedAdapters()).filter((a) => !ids.includes(a.id));
  await importedAdaptersItem.setValue([...kept, ...adapters] as unknown as Record<string, unknown>[]);
  return ids;
}

export async function removeAdapter(id: string): Promise<void> {
  const kept = (await importedAdapters()).filter((a) => a.id !== id);
  await importedAdaptersItem.setValue(kept as unknown as Record<string, unknown>[]);
}
