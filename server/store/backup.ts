/**
 * Backup and verification of a SQLite data folder (`lianxin.sqlite` and
 * `photos/`), for `npm run backup` and `npm run verify` (server/admin.ts).
 *
 * A backup may run while the server serves: the database is copied with
 * SQLite's online backup API (a consistent snapshot, the server keeps
 * writing), made one self-contained file (no WAL), stripped of its sessions,
 * checked (`PRAGMA integrity_check`) and fsynced; then the photo files are
 * copied, so every photo the copied database knows is already on disk when it
 * is copied. Photos are content-addressed and never
 * change: a photo already in the destination is not copied again.
 *
 * Verification opens the database read-only and checks everything a restore
 * needs: `PRAGMA integrity_check`, that every document's stored updates
 * decode into a Yjs document, and that every recorded photo is on disk with
 * its size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { fsyncPath } from './fsync-path.ts';

export const DATABASE_FILE = 'lianxin.sqlite';

export interface Counts {
  readonly documents: number;
  readonly orders: number;
  readonly users: number;
  readonly photos: number;
}

export interface BackupReport {
  readonly file: string;
  readonly bytes: number;
  readonly counts: Counts;
  readonly photosCopied: number;
  readonly photosPresent: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: string[];
  readonly counts: Counts;
}

export class BackupError extends Error {}

/** Copy `dataDir` into the new folder `out`. Refuses to write into a folder that holds anything. */
export async function backupDataDir(options: { dataDir: string; photoDir?: string; out: string }): Promise<BackupReport> {
  const source = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  await mkdir(options.out, { recursive: true });
  if ((await readdir(options.out)).length > 0) throw new BackupError(`${options.out} is not empty: back up into a new folder`);
  const file = join(options.out, DATABASE_FILE);
  const partial = `${file}.partial`;

  let counts: Counts;
  try {
    const db = new Database(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      await db.backup(partial);
    } finally {
      db.close();
    }
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // A backup carries no sessions: restored, it must not bring back tokens that were signed out,
      // or belonged to users disabled, since it was taken. Everyone signs in again after a restore.
      const problems = integrityProblems(copy);
      if (problems.length > 0) throw new BackupError(`the copy of ${source} fails its integrity check (${problems.slice(0, 3).join('; ')}): the database itself is damaged; keep your previous backup`);
      copy.pragma('journal_mode = DELETE');
      copy.pragma('secure_delete = ON');
      copy.prepare('DELETE FROM sessions').run();
      counts = countRows(copy);
    } finally {
      copy.close();
    }
    await fsyncPath(partial);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, file);
  await fsyncPath(options.out);

  const photoDir = options.photoDir ?? join(options.dataDir, 'photos');
  let photosCopied = 0;
  let photosPresent = 0;
  for (const relative of await photoFiles(photoDir)) {
    const target = join(options.out, 'photos', relative);
    if (existsSync(target)) {
      photosPresent += 1;
      continue;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await copyFile(join(photoDir, relative), `${target}.partial`);
    await fsyncPath(`${target}.partial`);
    await rename(`${target}.partial`, target);
    photosCopied += 1;
  }
  return { file, bytes: (await stat(file)).size, counts, photosCopied, photosPresent };
}

/** Check a data folder (a backup, or the live one; read-only either way). */
export async function verifyDataDir(options: { dataDir: string; photoDir?: string }): Promise<VerifyReport> {
  const file = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(file)) return { ok: false, problems: [`no database at ${file}`], counts: { documents: 0, orders: 0, users: 0, photos: 0 } };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, problems: [`${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}`], counts: { documents: 0, orders: 0, users: 0, photos: 0 } };
  }
  const problems: string[] = [];
  let counts: Counts = { documents: 0, orders: 0, users: 0, photos: 0 };
  let photos: { sha256: string; size: number }[] = [];
  try {
    const integrity = integrityProblems(db);
    problems.push(...integrity.map((problem) => `integrity_check: ${problem}`));
    if (integrity.length === 0) {
      counts = countRows(db);
      problems.push(...undecodableDocuments(db));
      photos = db.prepare('SELECT sha256, size FROM photos ORDER BY sha256').all() as { sha256: string; size: number }[];
    }
  } catch (error) {
    problems.push(`reading ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db.close();
  }
  const photoDir = options.photoDir ?? join(options.dataDir, 'photos');
  for (const photo of photos) {
    const path = join(photoDir, photo.sha256.slice(0, 2), photo.sha256);
    const size = await stat(path).then(
      (info) => info.size,
      () => null,
    );
    if (size === null) problems.push(`photo ${photo.sha256} is missing from ${photoDir}`);
    else if (size !== photo.size) problems.push(`photo ${photo.sha256} has ${size} bytes, ${photo.size} were stored`);
    else if ((await sha256File(path)) !== photo.sha256) problems.push(`photo ${photo.sha256} does not hash to its name`);
  }
  return { ok: problems.length === 0, problems, counts };
}

function integrityProblems(db: Database.Database): string[] {
  const rows = db.pragma('integrity_check(50)') as Record<string, unknown>[];
  const results = rows.map((row) => String(Object.values(row)[0]));
  return results.length === 1 && results[0] === 'ok' ? [] : results;
}

function countRows(db: Database.Database): Counts {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    documents: count('SELECT COUNT(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates)'),
    orders: count('SELECT COUNT(*) AS n FROM orders'),
    users: count('SELECT COUNT(*) AS n FROM users'),
    photos: count('SELECT COUNT(*) AS n FROM photos'),
  };
}

/** Documents whose snapshot and log do not decode into a Yjs document. */
function undecodableDocuments(db: Database.Database): string[] {
  const problems: string[] = [];
  const names = db.prepare('SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates ORDER BY doc').pluck().all() as string[];
  const snapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').pluck();
  const updates = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq').pluck();
  for (const name of names) {
    const doc = new Y.Doc();
    try {
      const snap = snapshot.get(name) as Buffer | undefined;
      doc.transact(() => {
        if (snap) Y.applyUpdate(doc, new Uint8Array(snap));
        for (const update of updates.all(name) as Buffer[]) Y.applyUpdate(doc, new Uint8Array(update));
      });
    } catch (error) {
      problems.push(`document ${name} does not decode: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      doc.destroy();
    }
  }
  return problems;
}

/** Photo files under the folder, as `ab/<sha256>` (temporary and hidden files skipped). */
async function photoFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const prefix of await readdir(dir)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of await readdir(join(dir, prefix))) if (/^[0-9a-f]{64}$/.test(name)) files.push(join(prefix, name));
  }
  return files.sort();
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
