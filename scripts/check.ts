/**
 * Runs npm scripts side by side and fails if any fails: the static checks of
 * `npm test` (ESLint, the Firefox build's web-ext lint, the type-checks) are
 * single-threaded, so on a 2-core machine two at a time take about half as long.
 *
 *   npm run check                       lint, lint:ext:firefox and every typecheck:* script
 *   npm run typecheck                   every typecheck:* script
 *   tsx scripts/check.ts lint 'typecheck:*'   any scripts; `prefix:*` means every script so named
 *
 * Each script's output is kept and printed in one piece when it ends, under a
 * `:::` line with its name, result and time, so parallel output stays readable.
 * At most LIANXIN_CHECK_JOBS (default: the number of CPUs) run at once, in the
 * order given: put the longest first.
 *
 * Safe to run together: the scripts write nothing another one reads, except
 * `wxt prepare` (typecheck:ext) and `wxt build` (lint:ext:firefox), which
 * rewrite .wxt/ only where its content changes (WXT's writeFileIfDifferent),
 * and it does not change between them: `npm ci` already ran `wxt prepare`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const ROOT = new URL('../', import.meta.url);
const scripts = Object.keys((JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The scripts named, `prefix:*` expanded to every script that starts with `prefix:`, in order, each once. */
function expand(patterns: readonly string[], known: readonly string[]): string[] {
  const names: string[] = [];
  for (const pattern of patterns) {
    const matches = pattern.endsWith(':*') ? known.filter((name) => name.startsWith(pattern.slice(0, -1))) : known.filter((name) => name === pattern);
    if (matches.length === 0) throw new Error(`no npm script matches ${pattern}`);
    for (const name of matches) if (!names.includes(name)) names.push(name);
  }
  return names;
}

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
}

function run(name: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', name], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (ok: boolean, why: string) => {
      const seconds = (performance.now() - started) / 1000;
      const output = Buffer.concat(chunks).toString().trimEnd();
      process.stdout.write(`\n::: ${name}: ${ok ? 'ok' : `FAILED (${why})`}, ${seconds.toFixed(1)} s\n${output ? `${output}\n` : ''}`);
      resolve({ name, ok, seconds });
    };
    child.once('error', (error) => finish(false, error.message));
    child.once('close', (code, signal) => finish(code === 0, `exit ${code ?? signal}`));
  });
}

async function main(): Promise<void> {
  const names = expand(process.argv.slice(2), scripts);
  if (names.length === 0) throw new Error('usage: tsx scripts/check.ts SCRIPT… (prefix:* for every script so named)');
  const jobs = Number(process.env.LIANXIN_CHECK_JOBS ?? availableParallelism());
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`LIANXIN_CHECK_JOBS must be a positive integer, got ${process.env.LIANXIN_CHECK_JOBS}`);
  process.stdout.write(`::: ${names.join(', ')} (${jobs} at a time)\n`);
  const started = performance.now();
  const queue = [...names];
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) outcomes.push(await run(name));
  };
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
  const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
  const total = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n::: ${failed.length === 0 ? 'all passed' : `FAILED: ${failed.join(', ')}`} in ${total} s (${outcomes.map((o) => `${o.name} ${o.seconds.toFixed(0)} s`).join(', ')})\n`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

await main();
