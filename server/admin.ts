/**
 * Admin command, run with tsx against the same data folder or database as the
 * server (it may be running: SQLite in WAL mode takes a second writer):
 *
 *   node --import tsx server/admin.ts import org.json [users.csv …] [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts users [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts disable USER… | enable USER… [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts prune-index [--data-dir DIR | --database-url URL]
 *   node --import tsx server/admin.ts backup --data-dir DIR --out NEW_DIR [--photo-dir DIR]   (npm run backup -- …)
 *   node --import tsx server/admin.ts verify --data-dir DIR [--photo-dir DIR]                 (npm run verify -- …)
 *
 * `import` checks every row of every file first and writes nothing if any is
 * wrong; each error names the file, the row and the field. A running server
 * picks up new units within seconds and new users at their next login.
 * Disabling a user, or changing their password, role or unit (by import or
 * `disable`), deletes their sessions in the same transaction; running servers
 * close the sockets that carried them within SESSION_RECHECK (1 s).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from './app.ts';
import { resolveConfig } from './config.ts';
import { ImportError, importFiles } from './org/import.ts';
import type { Store } from './store/store.ts';
import { BackupError, backupDataDir, verifyDataDir } from './store/backup.ts';
import { pruneSupersededGenerations } from './sync/index-generations.ts';

const USAGE = `Usage:
  node --import tsx server/admin.ts import FILE… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts users [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts disable USER… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts enable USER… [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts prune-index [--data-dir DIR | --database-url URL]
  node --import tsx server/admin.ts backup --data-dir DIR --out NEW_DIR [--photo-dir DIR]
  node --import tsx server/admin.ts verify --data-dir DIR [--photo-dir DIR]

FILE is JSON ({"units": [...], "users": [...]}) or CSV with the header
id,kind,name,parentId (units) or id,name,role,unitId,password (users).
DATA_DIR and DATABASE_URL are read from the environment too.
backup copies a SQLite data folder (database and photos) while the server runs,
into a new folder, and checks the copy; verify checks a data folder or a backup
(integrity, every document readable, every photo present and intact) and exits
1 if anything is wrong. PostgreSQL: use pg_dump / pg_restore (docs/SERVER.md).
prune-index deletes the live index docs' superseded generations, keeping each
index's current generation and the one before it (the server itself deletes
each at the rollover that leaves it two behind; this is for stores from before
that: docs/SERVER.md, "Index docs in generations").`;

export async function runAdmin(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const files: string[] = [];
  let dataDir = env.DATA_DIR;
  let databaseUrl = env.DATABASE_URL ?? null;
  let photoDir = env.PHOTO_DIR;
  let backupOut: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--data-dir') dataDir = rest[++i];
    else if (arg === '--database-url') databaseUrl = rest[++i] ?? null;
    else if (arg === '--photo-dir') photoDir = rest[++i];
    else if (arg === '--out') backupOut = rest[++i];
    else if (arg.startsWith('--')) {
      out(`unknown option ${arg}\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (command === 'backup' || command === 'verify') {
    if (databaseUrl) {
      out('backup and verify are for the SQLite data folder; back PostgreSQL up with pg_dump (docs/SERVER.md, "Backup and restore")');
      return 2;
    }
    const dir = resolve(dataDir ?? 'data');
    const photos = photoDir === undefined ? undefined : resolve(photoDir);
    if (command === 'backup') {
      if (!backupOut) {
        out(`backup needs --out NEW_DIR\n${USAGE}`);
        return 2;
      }
      try {
        const report = await backupDataDir({ dataDir: dir, out: resolve(backupOut), ...(photos ? { photoDir: photos } : {}) });
        const { counts } = report;
        out(`backed up ${dir} to ${report.file} (${report.bytes} bytes, integrity ok): ${counts.documents} documents, ${counts.orders} orders, ${counts.users} users, ${counts.photos} photos recorded; ${report.photosCopied} photo files copied`);
        return 0;
      } catch (error) {
        if (error instanceof BackupError) {
          out(`backup failed: ${error.message}`);
          return 1;
        }
        throw error;
      }
    }
    const report = await verifyDataDir({ dataDir: dir, ...(photos ? { photoDir: photos } : {}) });
    const { counts } = report;
    if (report.ok) {
      out(`${dir} is sound: integrity ok, ${counts.documents} documents readable, ${counts.orders} orders, ${counts.users} users, ${counts.photos} photos present and intact`);
      return 0;
    }
    out(`${dir} is damaged (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):\n  ${report.problems.slice(0, 20).join('\n  ')}`);
    return 1;
  }
  if (command !== 'import' && command !== 'users' && command !== 'disable' && command !== 'enable' && command !== 'prune-index') {
    out(USAGE);
    return 2;
  }
  if (command === 'prune-index' && files.length > 0) {
    out(`prune-index takes no arguments\n${USAGE}`);
    return 2;
  }
  if (command !== 'users' && command !== 'prune-index' && files.length === 0) {
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
    } else if (command === 'prune-index') {
      const report = await pruneSupersededGenerations(store);
      out(
        report.docs === 0
          ? 'no superseded index generations to delete'
          : `deleted ${report.docs} superseded generation${report.docs === 1 ? '' : 's'} of ${report.indexes} live ind${report.indexes === 1 ? 'ex' : 'exes'} (${report.bytes} bytes); each keeps its current generation and the one before it`,
      );
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
