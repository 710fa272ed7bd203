import type { Hocuspocus } from '@hocuspocus/server';
import type { Sessions } from './auth/sessions.ts';
import type { Config } from './config.ts';
import type { Metrics } from './metrics.ts';
import type { Directory } from './org/directory.ts';
import type { PhotoStore } from './photos/photo-store.ts';
import type { Store } from './store/store.ts';
import type { Indexer } from './sync/indexer.ts';
import type { RedisRelay } from './sync/relay.ts';

/** What the HTTP routes and the sync hooks share; built once in main.ts. */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly sessions: Sessions;
  readonly directory: Directory;
  readonly metrics: Metrics;
  readonly hocuspocus: Hocuspocus;
  readonly indexer: Indexer;
  /** The live relay between instances; null without Redis. */
  readonly relay: RedisRelay | null;
  readonly photos: PhotoStore;
  readonly startedAt: number;
}
