import { pino, type Logger } from 'pino';
import type { LogFormat } from './settings.ts';

/** Headers that carry secrets; pino replaces their values before a log line is written. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-fed-signature"]',
  'req.headers["x-fed-identity"]',
  'headers.authorization',
  'headers.cookie',
];

/** JSON lines by default, for log shippers; `pretty` (LOG_FORMAT=pretty) colours them for a terminal. */
export function createLogger(level = 'info', name?: string, format: LogFormat = 'json'): Logger {
  const transport =
    format === 'pretty' ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined;
  return pino({ level, name, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, transport });
}
