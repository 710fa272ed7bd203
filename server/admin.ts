/**
 * Admin command, run with tsx against the same data folder or database as the
 * server (it may be running: SQLite in WAL mode takes a second writer):
 *
 *   node --import tsx server/admin.ts import org.json [users.csv …] [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts users [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts disable USER… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts enable USER… [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts disable USER… | enable USER… [--data-dir DIR | --database-url URL]
 *
 * `import` checks every row of every file first and writes nothing if any is
 * wrong; each error names the file, the row and the field. A running server
 * picks up new units within seconds and new users at their next login.
 * Disabling a user, or changing their password, role or unit (by import or
 * `disable`), deletes their sessions in the same transaction; running servers
 * close the sockets that carried them within SESSION_RECHECK (1 s).
 */
import { pathToFileURL } from 'node:url';
import { openStore } from './app.ts';
import { resolveConfig } from './config.ts';
import { ImportError, importFiles } from './org/import.ts';
import type { Store } from './store/store.ts';

const USAGE = `Usage:
  node --import tsx server/admin.ts import FILE… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts users [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts disable USER… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts enable USER… [--data-dir DIR | --database-url URL]

FILE is JSON ({"units": [...], "users": [...]}) or CSV with the header
id,kind,name,parentId (units) or id,name,role,unitId,password (users).
DATA_DIR and DATABASE_URL are read from the environment too.`;

export async function runAdmin(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const files: string[] = [];
  let dataDir = env.DATA_DIR;
  let databaseUrl = env.DATABASE_URL ?? null;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--data-dir') dataDir = rest[++i];
    else if (arg === '--database-url') databaseUrl = rest[++i] ?? null;
    else if (arg.startsWith('--')) {
      out(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (command !== 'import' && command !== 'users' && command !== 'disable' && command !== 'enable') {
    out(USAGE);
    return 2;
  }
  if (command !== 'users' && files.length === 0) {
    out(`${command} needs at least one ${command === 'import' ? 'file' : 'user id'}\n${USAGE}`);
    return 2;
  }
  const store: Store = await openStore(resolveConfig({ dataDir, databaseUrl }));
  try {
    if (command === 'import') {
      const counts = await importFiles(store, files);
      out(`imported ${counts.units} units and ${counts.users} users`);
    } else if (command === 'disable' || command === 'enable') {
      const unknown: string[] = [];
      for (const id of files) if (!(await store.setUserDisabled(id, command === 'disable'))) unknown.push(id);
      if (unknown.length > 0) {
        out(`no such user: ${unknown.join(', ')}`);
        return 1;
      }
      out(`${command}d ${files.join(', ')}${command === 'disable' ? ' (their sessions are ended)' : ''}`);
    } else {
      for (const user of await store.listUsers()) out(`${user.id}\t${user.role}\t${user.unitId}\t${user.name}${user.disabled ? '\t(disabled)' : ''}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      out(error.message);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAdmin(process.argv.slice(2), process.env, (line) => process.stderr.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
