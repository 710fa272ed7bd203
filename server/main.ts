/**
 * Entry point: `node --import tsx server/main.ts [options]` (see --help).
 * `startServer` is also what `scripts/start.ts` and the tests call.
 */
import { pathToFileURL } from 'node:url';
import { startServer, type RunningServer, type StartOptions } from './app.ts';
import { configFromArgs } from './config.ts';
import { logUnhandled } from './log.ts';
import { StoreCorruptError } from './store/store.ts';

export { startServer };
export type { RunningServer, StartOptions };

async function main(): Promise<void> {
  let input;
  try {
    input = configFromArgs(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  logUnhandled();
  const server = await startServer({ ...input, port: input.port ?? 8787, dataDir: input.dataDir ?? 'data' });
  process.stdout.write(`Lianxin server listening on ${server.url}\n`);
  if (server.seeded) {
    process.stdout.write(`Demo accounts (password ${server.seeded.password}):\n`);
    for (const account of server.seeded.accounts) process.stdout.write(`  ${account.id.padEnd(12)} ${account.role.padEnd(18)} ${account.name}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: closing\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Exit status when the data is damaged: the server refuses to serve it (docs/SERVER.md, "Backup and restore"). */
export const EXIT_STORE_CORRUPT = 3;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof StoreCorruptError) {
      process.stderr.write(`lianxin: refusing to start: ${error.message}\n`);
      process.exit(EXIT_STORE_CORRUPT);
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
