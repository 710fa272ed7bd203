/**
 * `npm start`: build the extension, start the sync server on its embedded
 * defaults (SQLite in ./data, demo data seeded on first start), print where
 * everything is. Ctrl-C stops it cleanly.
 *
 *   npm start                          port 8787 on 127.0.0.1, data in ./data
 *   npm start -- --no-build            skip the extension build
 *   npm start -- --port 9000           any server option (see `node --import tsx server/main.ts --help`);
 *                                      PORT, HOST, DATA_DIR… environment variables work too
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configFromArgs } from '../server/config.ts';
import { startServer } from '../server/main.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const extensionDir = fileURLToPath(new URL('../.output/chrome-mv3', import.meta.url));

/** Runs a Node script from node_modules with this Node, so no npx wrapper is left behind on Ctrl-C. */
function runNode(script: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`../${script}`, import.meta.url)), ...args], {
      cwd: root,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const build = !args.includes('--no-build');
  const serverArgs = args.filter((arg) => arg !== '--no-build');

  let input;
  try {
    input = configFromArgs(serverArgs, process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }

  if (build) {
    const started = performance.now();
    process.stdout.write('Building the extension (wxt build)…\n');
    await runNode('node_modules/wxt/bin/wxt.mjs', ['build']);
    process.stdout.write(`Extension built in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
  }

  const server = await startServer({ ...input, port: input.port ?? 8787, dataDir: input.dataDir ?? 'data' });

  const lines = [
    '',
    '连心 Lianxin is running',
    `  sync server   ${server.url}`,
    `  health        ${server.url}/healthz`,
    `  metrics       ${server.url}/metrics`,
    `  data          ${server.config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : server.config.dataDir}`,
    `  extension     ${extensionDir}${build ? '' : ' (not rebuilt: --no-build)'}`,
    '                chrome://extensions → Developer mode → Load unpacked → that folder',
    '  field PWA     npm run dev:pwa (in another terminal)',
  ];
  if (server.seeded) {
    lines.push('', `Demo accounts seeded (password ${server.seeded.password}):`);
    for (const account of server.seeded.accounts) lines.push(`  ${account.id.padEnd(12)} ${account.role.padEnd(18)} ${account.name}`);
  }
  lines.push('', 'Ctrl-C to stop.', '');
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: closing the server…\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
