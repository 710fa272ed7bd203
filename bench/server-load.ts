/**
 * A quick, bounded load run against a real server process on 127.0.0.1:
 * N WebSocket clients, each with one order doc open, each writing an event,
 * waiting for the durable acknowledgement, pausing a little, and again.
 *
 *   node --import tsx bench/server-load.ts [--clients 200] [--seconds 15] [--orders 100] [--pause-ms 200]
 *
 * Prints acknowledged updates per second, acknowledgement latency and the
 * server's resident memory per open connection. Client and server share the
 * machine, so the figures are a floor, not a ceiling.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { orderDocName } from '../shared/sync/doc-names.ts';
import { T0 } from '../tests/shared/support/builders.ts';
import { TestClient, login, postIntake, type DocHandle } from '../tests/server/support/client.ts';
import { hotlineIntake, users } from '../tests/server/support/fixture.ts';
import { startServer, stopAll } from '../tests/server/support/server.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    orders: { type: 'string', default: '100' },
    'pause-ms': { type: 'string', default: '200' },
  },
});
const CLIENTS = Math.min(Number(values.clients), 2000);
const SECONDS = Math.min(Number(values.seconds), 120);
const ORDERS = Math.min(Number(values.orders), 5000);
const PAUSE = Number(values['pause-ms']);

const rssKb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
/** User + system CPU time of a process, in seconds. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** Resolves at the next moment every change of the doc is acknowledged (event-driven, no polling). */
function acknowledged(handle: DocHandle): Promise<void> {
  if (handle.provider.unsyncedChanges === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = ({ number }: { number: number }) => {
      if (number !== 0) return;
      handle.provider.off('unsyncedChanges', listener);
      resolve();
    };
    handle.provider.on('unsyncedChanges', listener);
  });
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const server = await startServer({
  env: { COMPACT_DEBOUNCE: '2s' },
  args: ['--quiet'],
  // e.g. SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
  nodeArgs: process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
});
try {
  const clerk = await login(server.url, users.clerk.id);
  const intakes = Array.from({ length: ORDERS }, () => hotlineIntake());
  for (let i = 0; i < intakes.length; i += 500) await postIntake(server.url, clerk, intakes.slice(i, i + 500));
  await new Promise((r) => setTimeout(r, 1000));
  const baseline = rssKb(server.pid);

  const writers = [users.worker, users.worker2, users.community];
  const handles: { client: TestClient; handle: DocHandle }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = await TestClient.connect(server, writers[i % writers.length]!, 1000 + i);
    handles.push({ client, handle: client.open(orderDocName(intakes[i % intakes.length]!.id)) });
  }
  await Promise.all(handles.map(({ handle }) => handle.synced(60_000)));
  await new Promise((r) => setTimeout(r, 1000));
  const connected = rssKb(server.pid);

  const latencies: number[] = [];
  let acked = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = Date.now();
  const cpuBefore = cpuSeconds(server.pid);
  const clientCpuBefore = process.cpuUsage();
  await Promise.all(
    handles.map(async ({ client, handle }, i) => {
      let n = 0;
      await new Promise((r) => setTimeout(r, (i * 7) % (PAUSE + 1)));
      while (Date.now() < deadline) {
        const event = client.write(handle, { type: 'progress', payload: { text: `负载 ${i}-${n}` } }, T0 + n);
        const sent = performance.now();
        handle.append(event);
        await acknowledged(handle);
        latencies.push(performance.now() - sent);
        acked += 1;
        n += 1;
        await new Promise((r) => setTimeout(r, Math.random() * PAUSE));
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const serverCpu = (cpuSeconds(server.pid) - cpuBefore) / elapsed;
  const clientCpuUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6 / elapsed;
  const after = rssKb(server.pid);
  latencies.sort((a, b) => a - b);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  if (process.env.BENCH_METRICS) console.log(metrics.split('\n').filter((l) => l.startsWith('lianxin_persist') || l.startsWith('lianxin_updates')).join('\n'));
  const persist = /lianxin_persist_seconds_sum (\S+)\nlianxin_persist_seconds_count (\S+)/.exec(metrics);
  console.log(
    JSON.stringify(
      {
        clients: CLIENTS,
        orders: ORDERS,
        seconds: Math.round(elapsed * 10) / 10,
        ackedUpdates: acked,
        updatesPerSecond: Math.round(acked / elapsed),
        ackLatencyMs: { p50: Math.round(percentile(latencies, 50)), p95: Math.round(percentile(latencies, 95)), p99: Math.round(percentile(latencies, 99)) },
        serverCpuPercent: Math.round(serverCpu * 100),
        clientCpuPercent: Math.round(clientCpu * 100),
        persistMeanMs: persist ? Math.round((Number(persist[1]) / Number(persist[2])) * 10000) / 10 : null,
        serverRssMb: { baseline: Math.round(baseline / 1024), connected: Math.round(connected / 1024), afterLoad: Math.round(after / 1024) },
        rssPerConnectionKb: Math.round((connected - baseline) / CLIENTS),
      },
      null,
      2,
    ),
  );
  for (const { client } of handles) client.close();
} finally {
  await server.kill();
  await stopAll([server.dataDir]);
}
