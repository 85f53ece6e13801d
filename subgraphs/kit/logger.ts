import { pino, type Logger } from 'pino';

/** Headers that carry secrets; pino replaces their values before a log line is written. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-fed-signature"]',
  'req.headers["x-fed-identity"]',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(level = 'info', name?: string): Logger {
  return pino({ level, name, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
