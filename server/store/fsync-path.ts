import { open } from 'node:fs/promises';

/** A file's bytes, or a folder's entries (a rename into it), made durable: open, fsync, close. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
