/** Build the PWA once for all e2e files (skip with LIANXIN_E2E_SKIP_BUILD=1 when dist/pwa is fresh). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  if (process.env.LIANXIN_E2E_SKIP_BUILD === '1' && existsSync(`${root}dist/pwa/index.html`)) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}
