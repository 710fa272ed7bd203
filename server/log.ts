/**
 * Structured log lines (one JSON object per line on stderr), so denials and
 * refusals can be searched by user, document and reason.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

let quiet = false;

export function setQuiet(value: boolean): void {
  quiet = value;
}

function write(level: 'info' | 'warn' | 'error', event: string, fields: LogFields): void {
  if (quiet && level === 'info') return;
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);
}

export const log = {
  info: (event: string, fields: LogFields = {}) => write('info', event, fields),
  warn: (event: string, fields: LogFields = {}) => write('warn', event, fields),
  error: (event: string, fields: LogFields = {}) => write('error', event, fields),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Process-wide last resort, for the entry points (server/main.ts,
 * scripts/start.ts): a promise rejection nobody handled is logged, with its
 * stack, instead of ending the process (Node's default). Each one is a bug at
 * its source; this keeps the instance serving meanwhile. An uncaught exception
 * is logged the same way and still ends the process: its state is unknown.
 */
export function logUnhandled(): void {
  process.on('unhandledRejection', (reason: unknown) => {
    log.error('unhandled_rejection', { error: errorMessage(reason), stack: reason instanceof Error ? reason.stack : undefined });
  });
  process.on('uncaughtException', (error: Error) => {
    log.error('uncaught_exception', { error: error.message, stack: error.stack });
    process.exit(1);
  });
}
