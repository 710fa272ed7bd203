/**
 * Once for the server tier: one PostgreSQL cluster made by initdb, which each
 * test's `startPostgres` copies instead of running initdb again (services.ts).
 * Without the PostgreSQL binaries there is nothing to make: those tests skip.
 */
import { makePostgresTemplate, missingBinaries, PG_TEMPLATE_ENV } from './services.ts';

export default async function setup(): Promise<() => Promise<void>> {
  if (missingBinaries()) return async () => undefined;
  const template = await makePostgresTemplate();
  // Set before Vitest starts its workers, which inherit this environment.
  process.env[PG_TEMPLATE_ENV] = template.data;
  return async () => {
    delete process.env[PG_TEMPLATE_ENV];
    await template.remove();
  };
}
