/** Reading an adapter from JSON an admin imported or edited: every problem names its path. */
import { validate, type Validated } from '../validation/result.ts';
import { PortalAdapterSchema, type PortalAdapter } from './adapter.ts';

export function parseAdapter(input: unknown): Validated<PortalAdapter> {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as unknown;
    } catch (error) {
      return { ok: false, errors: [{ field: '', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }
  return validate(PortalAdapterSchema, input);
}

/** Pretty JSON for export; parseAdapter(exportAdapter(a)) gives `a` back. */
export function exportAdapter(adapter: PortalAdapter): string {
  return `${JSON.stringify(adapter, null, 2)}\n`;
}
