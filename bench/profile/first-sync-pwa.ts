/**
 * The PWA's own first sync at full size, in Chromium (bench/README.md, "First sync, part 4"; the
 * measurement is bench/lib/pwa-first-sync.ts, which the `first-sync` case runs too), on the store the
 * profile seeds once, with the server's start-up work over:
 *
 *   npx tsx bench/profile/first-sync.ts seed            (once: /tmp/lianxin-first-sync-500.json)
 *   npm run build:pwa && npx tsx bench/profile/first-sync-pwa.ts [rounds=3]
 *   LIANXIN_PWA_DIR=/tmp/dist-before npx tsx bench/profile/first-sync-pwa.ts   (a copy of an earlier build)
 *   LIANXIN_PWA_PROFILE=/tmp/pwa-prof npx tsx bench/profile/first-sync-pwa.ts 1   (the page's CPU profile per round)
 *   npx tsx bench/profile/cpuprofile.ts /tmp/pwa-prof/pwa-1.cpuprofile
 */
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD } from '#demo/index.ts';
import { pwaFirstSync } from '../lib/pwa-first-sync.ts';
import { serverWarmed, spawnLianxin, spawnServer } from '../lib/spawn.ts';

const rounds = Number(process.argv[2] ?? 3);
// LIANXIN_FIRST_SYNC_SEED: another seeded store (e.g. `LIANXIN_INDEX_LIVE_DAYS=7 npx tsx bench/profile/first-sync.ts seed`'s file).
const seedFile = process.env.LIANXIN_FIRST_SYNC_SEED ?? '/tmp/lianxin-first-sync-500.json';
const { dataDir, clerk } = JSON.parse(readFileSync(seedFile, 'utf8')) as { dataDir: string; clerk: string };

// LIANXIN_PWA_DIR: another build of the app (a copy of dist/pwa from before a change), same server.
const server = await spawnLianxin(dataDir, process.env.LIANXIN_PWA_DIR ? ['--pwa-dir', process.env.LIANXIN_PWA_DIR] : []);
const plain = await spawnServer('bench/baseline/plain-http.ts', []);
try {
  await serverWarmed(server);
  for (let round = 1; round <= rounds; round++) {
    const r = await pwaFirstSync(`${server.url}/`, plain.url, clerk, DEMO_PASSWORD, process.env.LIANXIN_PWA_PROFILE ? `${process.env.LIANXIN_PWA_PROFILE}/pwa-${round}.cpuprofile` : undefined);
    console.log(
      `round ${round}: first row ${r.cardMs.toFixed(0)} ms, listed (已同步) ${r.listedMs.toFixed(0)} ms, open orders stored ${r.storedMs.toFixed(0)} ms ` +
        `(${JSON.stringify(r.stored)}); baseline GET ${r.getMs.toFixed(1)} ms + put ${r.putMs.toFixed(1)} ms; the ${r.openRows} open rows + put ${r.rowsPutMs.toFixed(1)} ms\n  steps ${JSON.stringify(r.steps)}`,
    );
  }
} finally {
  await server.stop();
  await plain.stop();
}
