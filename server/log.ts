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
