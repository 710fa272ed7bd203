import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXTENSION_DIR = `${ROOT}.output/chrome-mv3`;

/** `wxt build` (chrome-mv3) unless told not to and a build is there. */
export function ensureExtensionBuilt(force: boolean): void {
  if (!force && existsSync(`${EXTENSION_DIR}/manifest.json`)) return;
  execFileSync(process.execPath, ['node_modules/wxt/bin/wxt.mjs', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
