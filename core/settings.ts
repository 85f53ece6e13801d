/**
 * Readers of environment variables, shared by the gateway and every subgraph: each reads one variable,
 * returns its typed value or the default, and throws a `SettingsError` whose message is one line naming
 * the variable and what it accepts. Entry points turn that error into that line and exit code 1.
 */
export class SettingsError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** JSON lines for log shippers by default; `pretty` colours them for a terminal (pino-pretty). */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Shortest METRICS_TOKEN accepted anywhere: a guessable token would be no protection. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/** The value, or undefined when the variable is unset or empty. */
export function readOptional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function readInteger(env: Env, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new SettingsError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A TCP port; 0 lets the system choose one. */
export function readPort(env: Env, name: string, fallback: number): number {
  return readInteger(env, name, fallback, { max: 65535 });
}

export function readFlag(env: Env, name: string, fallback: boolean): boolean {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new SettingsError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

/** A URL with one of `protocols` (default http and https). */
export function readUrl(env: Env, name: string, protocols: readonly string[] = ['http', 'https']): string | undefined {
  const raw = readOptional(env, name);
  if (raw === undefined) return undefined;
  if (!URL.canParse(raw) || !protocols.includes(new URL(raw).protocol.replace(/:$/, ''))) {
    // The value is not repeated: a database or mail URL may carry a password.
    throw new SettingsError(`${name} must be a ${protocols.map((protocol) => `${protocol}://`).join(' or ')} URL`);
  }
  return raw;
}

export function readLogLevel(env: Env): LogLevel {
  const raw = readOptional(env, 'LOG_LEVEL') ?? 'info';
  const level = LOG_LEVELS.find((known) => known === raw);
  if (!level) throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

export function readLogFormat(env: Env): LogFormat {
  const raw = readOptional(env, 'LOG_FORMAT') ?? 'json';
  const format = LOG_FORMATS.find((known) => known === raw);
  if (!format) throw new SettingsError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${raw}"`);
  return format;
}

/** METRICS_TOKEN: unset, or at least 16 characters. Never repeated in the message. */
export function readMetricsToken(env: Env): string | undefined {
  const raw = readOptional(env, 'METRICS_TOKEN');
  if (raw !== undefined && raw.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new SettingsError(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long`);
  }
  return raw;
}

/**
 * Runs an entry point's settings parsing: a `SettingsError` becomes its one line on stderr and exit code 1
 * (no stack trace: the operator needs the variable, not our call stack); anything else is rethrown.
 */
export function parseOrExit<T>(service: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(1);
  }
}
