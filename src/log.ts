/**
 * @module
 * Structured logs: one JSON object per line (`level`, `message`, then fields such as `requestId`), which Workers
 * Logs and `wrangler tail` index by field. Callers never pass secrets: API keys appear by name only.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

const sinks: Readonly<Record<LogLevel, (line: string) => void>> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** An error as loggable fields (its stack included), since `JSON.stringify` drops an Error's own members. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  return { error: error.message, errorName: error.name, stack: error.stack };
}

export function log(level: LogLevel, message: string, fields: LogFields = {}): void {
  sinks[level](JSON.stringify({ level, message, ...fields }));
}
