/**
 * Prometheus text exposition, without a client library: a handful of
 * counters, one histogram and gauges read at scrape time.
 */

/** Bucket bounds of the per-stage histograms, in seconds: the fast stages take well under a millisecond. */
const STAGE_BOUNDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private total = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.total += 1;
    this.bounds.forEach((bound, i) => {
      if (seconds <= bound) this.counts[i]! += 1;
    });
  }

  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    this.bounds.forEach((bound, i) => lines.push(`${name}_bucket{le="${bound}"} ${this.counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${this.total}`, `${name}_sum ${this.sum}`, `${name}_count ${this.total}`);
    return lines;
  }
}

class LabelledCounter {
  private readonly values = new Map<string, number>();
  constructor(private readonly label: string) {}

  inc(value: string, by = 1): void {
    this.values.set(value, (this.values.get(value) ?? 0) + by);
  }

  get(value: string): number {
    return this.values.get(value) ?? 0;
  }

  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
    for (const [value, n] of [...this.values].sort()) lines.push(`${name}{${this.label}="${escapeLabel(value)}"} ${n}`);
    return lines;
  }
}

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export interface Gauges {
  readonly connections: number;
  readonly documents: number;
  readonly photos: number;
  /** The Redis relay between instances; null without Redis. */
  readonly relay: { readonly state: string; readonly outages: number; readonly publishFailures: number } | null;
  readonly sessionsHeld: number;
  readonly sessionChannels: number;
  readonly sessionsEnded: ReadonlyMap<string, number>;
  readonly loginThrottleEntries: number;
  /** The duplicate detector's start read of every stored order has ended (`Duplicates.warm`). */
  readonly duplicatesWarmed: boolean;
}

export class Metrics {
  updatesApplied = 0;
  updatesLogged = 0;
  photosStored = 0;
  /** Times a socket went over its message budget and was paused. */
  socketsThrottled = 0;
  /** Awareness messages dropped at the socket (no client uses awareness). */
  awarenessDropped = 0;
  /** Live documents read from the store because they may have missed relayed updates. */
  catchUpReads = 0;
  /** Of those, the ones that lacked something. */
  docsCaughtUp = 0;
  /** Index entries written again after another instance's concurrent write left them older (shared/sync/index-entries.ts). */
  indexRewrites = 0;
  /** Live index docs rolled over to their next generation by this instance (server/sync/index-generations.ts). */
  indexRollovers = 0;
  /** Superseded index generations deleted by this instance at a rollover (`Indexer.pruneBehind`). */
  indexGenerationsPruned = 0;
  /** Orders indexed again because, a while after another instance's change, an entry here still had fewer events. */
  indexRechecks = 0;
  /** Indexer runs whose order row the store kept instead: it held one derived from more events (`Store.saveOrder`). */
  indexStaleRows = 0;
  readonly refused = new LabelledCounter('reason');
  readonly denied = new LabelledCounter('reason');
  readonly http = new LabelledCounter('status');
  readonly loginThrottled = new LabelledCounter('rule');
  readonly persistSeconds = new Histogram([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  readonly loadSeconds = new Histogram([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1]);
  /**
   * The stages of a client update on its way to the clerks (bench case `fan-out`, docs/SERVER.md
   * "Metrics"): the guard (with the writer's claims and quota), the durable append
   * (`persistSeconds`), the indexer (change → summary in the index docs) and the relay (index-doc
   * change → sent to the sockets that watch it).
   */
  readonly guardSeconds = new Histogram(STAGE_BOUNDS);
  readonly indexSeconds = new Histogram(STAGE_BOUNDS);
  readonly relaySeconds = new Histogram(STAGE_BOUNDS);

  render(gauges: Gauges): string {
    const counter = (name: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
    const gauge = (name: string, help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
    return [
      ...gauge('lianxin_connections', 'Open WebSocket document connections.', gauges.connections),
      ...gauge('lianxin_documents_loaded', 'Documents held in memory.', gauges.documents),
      ...gauge('lianxin_duplicates_warmed', "The duplicate detector's start read of every stored order has ended (1) or is running (0).", gauges.duplicatesWarmed ? 1 : 0),
      ...gauge('lianxin_photos', 'Photos in the photo store.', gauges.photos),
      ...counter('lianxin_updates_applied_total', 'Client updates applied after durable storage.', this.updatesApplied),
      ...counter('lianxin_updates_logged_total', 'Updates appended to the durable log (clients and server).', this.updatesLogged),
      ...this.refused.render('lianxin_updates_refused_total', 'Client updates refused by the guard, by reason.'),
      ...this.denied.render('lianxin_documents_denied_total', 'Document opens refused by authorisation, by reason.'),
      ...counter('lianxin_photos_stored_total', 'Photos stored since start.', this.photosStored),
      ...(gauges.relay
        ? [
            ...gauge('lianxin_relay_up', 'The Redis relay between instances is up (1) or down or catching up (0).', gauges.relay.state === 'up' ? 1 : 0),
            ...counter('lianxin_relay_outages_total', 'Times the Redis relay went down since start.', gauges.relay.outages),
            ...counter('lianxin_relay_publish_failures_total', 'Relay publishes that failed (Redis unreachable); made up for by the catch-up.', gauges.relay.publishFailures),
          ]
        : []),
      ...counter('lianxin_catch_up_reads_total', 'Live documents read from the store because they may have missed relayed updates.', this.catchUpReads),
      ...counter('lianxin_documents_caught_up_total', 'Live documents that lacked stored updates when read.', this.docsCaughtUp),
      ...counter('lianxin_index_rechecks_total', 'Orders indexed again because an entry still had fewer events than the live doc after a relayed change.', this.indexRechecks),
      ...counter('lianxin_index_stale_rows_total', 'Indexer runs whose order row was not written: the store held one derived from more events.', this.indexStaleRows),
      ...counter('lianxin_index_rewrites_total', 'Index entries written again after a concurrent write by another instance left them older.', this.indexRewrites),
      ...counter('lianxin_index_rollovers_total', 'Live index docs rolled over to their next generation by this instance.', this.indexRollovers),
      ...counter('lianxin_index_generations_pruned_total', 'Superseded live index generations deleted by this instance, each at the rollover that left it two behind.', this.indexGenerationsPruned),
      ...counter('lianxin_sockets_throttled_total', 'Times a WebSocket sent faster than WS_MESSAGE_RATE and was paused.', this.socketsThrottled),
      ...counter('lianxin_awareness_dropped_total', 'Awareness messages dropped at the socket (no client uses awareness).', this.awarenessDropped),
      ...this.http.render('lianxin_http_responses_total', 'HTTP responses by status code.'),
      ...gauge('lianxin_sessions_held', 'Sessions this instance holds in memory.', gauges.sessionsHeld),
      ...gauge('lianxin_session_channels', 'Document connections registered as carrying a session.', gauges.sessionChannels),
      '# HELP lianxin_sessions_ended_total Sessions ended on this instance while held, by reason.',
      '# TYPE lianxin_sessions_ended_total counter',
      ...[...gauges.sessionsEnded].sort().map(([reason, n]) => `lianxin_sessions_ended_total{reason="${escapeLabel(reason)}"} ${n}`),
      ...this.loginThrottled.render('lianxin_login_throttled_total', 'Sign-in attempts refused by the login throttle, by rule.'),
      ...gauge('lianxin_login_throttle_entries', 'Entries in the login-throttle tables.', gauges.loginThrottleEntries),
      ...this.persistSeconds.render('lianxin_persist_seconds', 'Time to append an update durably, in seconds.'),
      ...this.loadSeconds.render('lianxin_document_load_seconds', 'Time to load a document from the store, in seconds.'),
      ...this.guardSeconds.render('lianxin_guard_seconds', 'Time to check a client update (guard, client claims, daily quota), in seconds.'),
      ...this.indexSeconds.render('lianxin_index_seconds', 'Time from an order change to its summary written in the index docs, in seconds.'),
      ...this.relaySeconds.render('lianxin_relay_seconds', 'Time from an index-doc change to its broadcast sent to the watching sockets, in seconds.'),
      '',
    ].join('\n');
  }
}
