/**
 * Runs tests on other days and in other time zones: under libfaketime (the
 * Debian package `faketime`) at dates far from today, each in a time zone far
 * from China, so a test that reads the wall clock or the machine's zone fails
 * here before it fails in CI on some unlucky day.
 *
 *   npm run test:dates                  every unit tier (core, client, server)
 *   npm run test:dates -- --project core  one tier (what `npm test` runs)
 *
 * The clock is shifted by an offset (`faketime -f +Ns`) rather than set to a
 * fixed start, so every process a test starts (servers, PostgreSQL, Redis)
 * shares one shifted clock that keeps running.
 */
import { spawnSync } from 'node:child_process';

interface Shift {
  readonly name: string;
  /** The moment the run starts at (UTC). */
  readonly at: string;
  readonly tz: string;
}

const SHIFTS: readonly Shift[] = [
  { name: '23:50 on the eve of 春节 2027, China time', at: '2027-02-05T15:50:00Z', tz: 'America/New_York' },
  { name: '00:30 on 1 March 2028 in China, still the leap day in UTC', at: '2028-02-29T16:30:00Z', tz: 'UTC' },
  { name: '23:59 on 31 December 2030, China time', at: '2030-12-31T15:59:00Z', tz: 'Pacific/Kiritimati' },
];

const vitestArgs = process.argv.slice(2);
const found = spawnSync('faketime', ['-f', '+0s', 'true']);
if (found.error || found.status !== 0) {
  console.error('test:dates needs libfaketime: apt-get install faketime');
  process.exit(1);
}

let failed = 0;
for (const shift of SHIFTS) {
  const offsetSeconds = Math.round((Date.parse(shift.at) - Date.now()) / 1000);
  const offset = `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}s`;
  console.log(`\n::: tests at ${shift.at} (${shift.name}), TZ=${shift.tz}: faketime -f ${offset}`);
  const run = spawnSync('faketime', ['-f', offset, process.execPath, 'node_modules/vitest/vitest.mjs', 'run', ...vitestArgs], {
    stdio: 'inherit',
    env: { ...process.env, TZ: shift.tz },
  });
  if (run.status !== 0) {
    failed += 1;
    console.error(`::: FAILED at ${shift.at}, TZ=${shift.tz} (exit ${run.status ?? run.signal})`);
  }
}
if (failed > 0) {
  console.error(`\n${failed} of ${SHIFTS.length} shifted runs failed`);
  process.exit(1);
}
console.log(`\nall ${SHIFTS.length} shifted runs passed`);
