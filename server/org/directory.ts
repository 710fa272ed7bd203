/**
 * The organisation tree, held in memory for authorisation and refreshed from
 * the store, so units imported by the admin command (another process) reach
 * a running server within a few seconds.
 */
import { buildOrgTree, type OrgTree } from '#shared/org/units.ts';
import type { Store } from '../store/store.ts';
import { errorMessage, log } from '../log.ts';

export class Directory {
  private current: OrgTree = buildOrgTree([]);
  private timer: NodeJS.Timeout | null = null;
  private signature = '';

  constructor(private readonly store: Store) {}

  get tree(): OrgTree {
    return this.current;
  }

  async refresh(): Promise<void> {
    const units = await this.store.listUnits();
    const signature = JSON.stringify(units);
    if (signature === this.signature) return;
    this.current = buildOrgTree(units);
    this.signature = signature;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((error) => log.error('org_refresh_failed', { error: errorMessage(error) }));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
