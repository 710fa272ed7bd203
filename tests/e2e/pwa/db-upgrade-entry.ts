/**
 * What db-upgrade.e2e.ts runs in the page: a database of a shipped version created, then opened by today's
 * `LianxinDb`, in the browser's own IndexedDB. Bundled by esbuild into one script.
 */
import { LianxinDb } from '#shared/local/db.ts';
import { toOrderRow } from '#shared/local/projection.ts';
import { syntheticSummaries } from '../../shared/local/helpers.ts';
import { createShipped, expectedAfterUpgrade, readUpgraded, schemaOf } from '../../shared/local/shipped-db.ts';
import { T0 } from '../../shared/support/builders.ts';

async function upgradeFrom(version: number) {
  const rows = syntheticSummaries(20).map((summary) => toOrderRow({ summary }, undefined, T0));
  const fresh = new LianxinDb(`fresh-${version}`);
  await fresh.open();
  const freshSchema = schemaOf(fresh.backendDB());
  fresh.close();
  const name = `shipped-${version}`;
  await createShipped(name, version, rows, T0);
  const db = new LianxinDb(name);
  await db.open();
  const actual = await readUpgraded(db, rows);
  db.close();
  return { actual, expected: expectedAfterUpgrade(version, rows, freshSchema) };
}

declare global {
  interface Window {
    upgradeFrom: typeof upgradeFrom;
  }
}

window.upgradeFrom = upgradeFrom;
