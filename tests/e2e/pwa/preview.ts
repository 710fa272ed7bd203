import { inject } from 'vitest';
import type { Preview } from './fixtures.ts';

/**
 * The suite's one preview (started by global-setup.ts), for files that only
 * read dist/pwa and need no sync server. Every test has its own browser
 * profile, so sharing the origin shares no data.
 */
export function sharedPreview(): Pick<Preview, 'url'> {
  return { url: inject('pwaPreviewUrl') };
}
