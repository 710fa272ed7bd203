import type { Hocuspocus } from '@hocuspocus/server';
import type { LoginThrottle } from './auth/login-throttle.ts';
import type { Sessions } from './auth/sessions.ts';
import type { ClientAddresses } from './http/client-address.ts';
import type { Config } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { Directory } from './org/directory.ts';
import type { PhotoStore } from './photos/photo-store.ts';
import type { Store } from './store/store.ts';
import type { StorageHealth, StorageProbe } from './store/health.ts';
import type { Indexer } from './sync/indexer.ts';
import type { Duplicates } from './duplicates/duplicates.ts';
import type { RedisRelay } from './sync/relay.ts';

/** What the HTTP routes and the sync hooks share; built once in main.ts. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly sessions: Sessions;
  /** Failed password checks, by client address and account (login and password change). */
  readonly loginThrottle: LoginThrottle;
  readonly clientAddresses: ClientAddresses;
  readonly directory: Directory;
  readonly metrics: Metrics;
  readonly hocuspocus: Hocuspocus;
  readonly indexer: Indexer;
  /** Per-street duplicate candidates (server/duplicates/duplicates.ts). */
  readonly duplicates: Duplicates;
  /** The live relay between instances; null without Redis. */
  readonly relay: RedisRelay | null;
  readonly photos: PhotoStore;
  /** Storage errors seen so far (writes failing, unreadable data). */
  readonly health: StorageHealth;
  /** Live storage checks for /healthz: a probe write to each store, free space. */
  readonly storage: StorageProbe;
  readonly startedAt: number;
}
