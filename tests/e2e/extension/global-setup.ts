/** Build the extension once for all e2e files (skip with LIANXIN_E2E_SKIP_BUILD=1 when .output/chrome-mv3 is fresh). */
import { ensureExtensionBuilt } from './build.ts';

export default function setup(): void {
  ensureExtensionBuilt(process.env.LIANXIN_E2E_SKIP_BUILD !== '1');
}
