/**
 * The adapters for the demo portals, shipped with the extension. They are
 * JSON in shared/portal/adapters; this list is where they are bundled.
 */
import type { PortalAdapter } from '../../../shared/portal/adapter.ts';

export const BUILT_IN_ADAPTERS: PortalAdapter[] = [];
