/**
 * One real server for a test file: started before its tests, stopped after
 * them with every client the file connected and every data folder it handed
 * over (`removeAfter`).
 */
import { afterAll, beforeAll } from 'vitest';
import type { User } from '#shared/org/roles.ts';
import { TestClient } from './client.ts';
import { startServer, stopAll, type ServerOptions, type ServerProcess } from './server.ts';

export interface FileServer {
  readonly server: ServerProcess;
  /** A client of `user` on `on` (this file's server by default), closed after the file. */
  connect(user: User, seed?: number, on?: ServerProcess, password?: string): Promise<TestClient>;
  /** Removes `dataDir` after the file, with the server's own. */
  removeAfter(dataDir: string): void;
}

export function serverForFile(options: ServerOptions = {}): FileServer {
  let started: ServerProcess | null = null;
  const dirs: string[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    started = await startServer(options);
    dirs.push(started.dataDir);
  }, 40_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await stopAll(dirs);
  });

  const suite: FileServer = {
    get server(): ServerProcess {
      if (started === null) throw new Error('the file’s server is not started yet (use it inside a test or a hook)');
      return started;
    },
    async connect(user, seed = 1, on = suite.server, password) {
      const client = await TestClient.connect(on, user, seed, password);
      clients.push(client);
      return client;
    },
    removeAfter(dataDir) {
      dirs.push(dataDir);
    },
  };
  return suite;
}
