/**
 * Screenshots of the main screens at phone size (390×844), for the docs:
 * `npm run docs:screens` builds the PWA, serves it in demo mode and writes
 * every screen to test-results/pwa-screens/, then refreshes the ones the docs
 * show in docs/screens/. `--no-build` reuses dist/pwa; `--out DIR` writes
 * the full set elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InboxScreen, LoginScreen, OrderScreen, ROOT, launchPhone, makeJpeg, startPreview } from '../tests/e2e/pwa/fixtures.ts';

/** The screens docs/ and the READMEs link to. */
const DOCUMENTED = ['03-inbox', '06-order-closed', '07-order-to-accept', '09-photo-watermark', '10-close-form', '11-close-form-missing', '12-field-report', '13-me', '15-indicators', '16-indicators-desk'];

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, out: { type: 'string' } } });
const out = values.out ?? join(ROOT, 'test-results', 'pwa-screens');

if (!values['no-build']) {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}
await mkdir(out, { recursive: true });
const preview = await startPreview();
const phone = await launchPhone();
const shot = async (name: string) => {
  await phone.page.screenshot({ path: join(out, `${name}.png`) });
  console.log(`  ${name}.png`);
};
/** Lets animations (tab ink, sheets sliding in, image preview zoom) finish before a picture is taken. */
const settle = (ms: number) => phone.page.waitForTimeout(ms);

try {
  const { page } = phone;
  const login = new LoginScreen(page);
  await login.open(preview.url, '?demo=2000');
  await shot('01-login');
  await login.signIn('grid1', 'x');
  await login.error();
  await shot('02-login-error');
  await login.demo();
  await settle(300);
  await shot('03-inbox');
  await page.click('.van-tab:has-text("处理中")');
  await settle(200);
  await shot('04-inbox-in-progress');
  await page.fill('[data-test=inbox-search] input', '井盖');
  await settle(400);
  await shot('05-inbox-search');

  const inbox = new InboxScreen(page);
  await inbox.open(preview.url, '已办结');
  const [closed] = await inbox.cardIds();
  const order = new OrderScreen(page);
  await order.open(preview.url, closed!);
  await settle(200);
  await shot('06-order-closed');
  const id = await inbox.findOrder(preview.url, '待签收', 'accept');
  await order.open(preview.url, id);
  await shot('07-order-to-accept');
  await order.accept();
  await page.click('[data-action=check_in]');
  await page.waitForSelector('[data-test=check-in-form] >> text=已定位');
  await shot('08-check-in');
  await page.click('[data-test=check-in-form] button[type=submit]');
  await page.waitForSelector('[data-test=check-in-form]', { state: 'detached' });
  await order.addPhotos([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(page, '污水井现场', 3000, 2250) }]);
  await page.click('[data-test=photo-grid] button');
  await page.waitForSelector('.van-image-preview img');
  await settle(500);
  await shot('09-photo-watermark');
  await page.click('.van-image-preview__close-icon');
  await page.click('[data-action=close]');
  await page.waitForSelector('[data-test=close-form]');
  await settle(400);
  await shot('10-close-form');
  await page.fill('[data-test=close-form] textarea[name=actions]', '已到场');
  await page.locator('[data-test=close-form] textarea[name=actions]').blur();
  await page.evaluate(() => document.querySelector('[data-test=close-missing]')?.scrollIntoView());
  await shot('11-close-form-missing');
  await page.click('.van-popup__close-icon');

  await page.goto(`${preview.url}#/report`);
  await page.waitForSelector('.report');
  await shot('12-field-report');
  await page.goto(`${preview.url}#/me`);
  await page.waitForSelector('[data-test=storage-used]');
  await settle(300);
  await shot('13-me');
  await page.goto(`${preview.url}#/indicators`);
  await page.waitForSelector('[data-indicator=received]');
  await page.waitForSelector('.trend-chart canvas');
  await settle(300);
  await shot('15-indicators');
  await page.setViewportSize({ width: 1280, height: 800 });
  await settle(300);
  await shot('16-indicators-desk');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${preview.url}#/me`);
  await page.waitForSelector('[data-test=storage-used]');
  await page.click('[data-test=language] >> text=English');
  await page.goto(`${preview.url}#/inbox`);
  await page.waitForSelector('.order-card');
  await shot('14-inbox-english');
} finally {
  await phone.close();
  await preview.stop();
}

if (values.out === undefined) {
  for (const name of DOCUMENTED) await copyFile(join(out, `${name}.png`), join(ROOT, 'docs', 'screens', `${name}.png`));
  console.log(`docs/screens/: ${DOCUMENTED.length} screens refreshed`);
}
