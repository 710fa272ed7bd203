/**
 * Measures the device database in a real browser, since fake-indexeddb's
 * timings say nothing about IndexedDB's:
 *
 *   node --import tsx tests/shared/local/bench/browser-bench.ts
 *
 * Bundles page.ts with esbuild (present through tsx and vite), serves it on
 * 127.0.0.1, runs it in headless Chromium (CHROMIUM, default /usr/bin/chromium)
 * and prints what the page logs. The figures quoted in bench/README.md ("The
 * inbox search index") come from this script.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const entry = fileURLToPath(new URL('./page.ts', import.meta.url));
const bundle = await build({
  stdin: { contents: `import { runBench } from ${JSON.stringify(entry)}; (globalThis as { runBench?: () => Promise<void> }).runBench = runBench;`, loader: 'ts', resolveDir: process.cwd() },
  bundle: true,
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0]!.text;

const server = createServer((req, res) => {
  const js = req.url === '/bench.js';
  res.setHeader('content-type', js ? 'text/javascript' : 'text/html');
  res.end(js ? script : '<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  page.on('console', (message) => console.log(message.text()));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => typeof (globalThis as { runBench?: unknown }).runBench === 'function');
  await page.evaluate(() => (globalThis as unknown as { runBench: () => Promise<void> }).runBench());
} finally {
  await browser.close();
  server.close();
}
