/**
 * The actions subgraph's settings (and its worker's), read once from `options.env` (never from
 * process.env), validated with errors that name the variable, then frozen. Every variable is in README.md.
 */
export interface ActionsSettings {
  /** RUN_JOB_WAIT_MS, default 30000: how long `run_job(wait_for_result: true)` waits for the end. */
  readonly runJobWaitMs: number;
  /** ACTIONS_WORKER_CONCURRENCY, default 2: action jobs one worker process runs at once. */
  readonly workerConcurrency: number;
  /** ACTIONS_LEASE_MS, default 30000: how long a worker holds a job without a heartbeat. */
  readonly leaseMs: number;
  /** ACTIONS_JOB_TIMEOUT_MS, default 120000: an action running longer fails (and is retried). */
  readonly jobTimeoutMs: number;
  /** ACTIONS_JOB_MAX_ATTEMPTS, default 3: claims of an action job before it ends FAILED. */
  readonly jobMaxAttempts: number;
  /** OUTBOUND_ALLOWED_HOSTS: private hosts the outbound guard lets through (comma-separated), default none. */
  readonly outboundAllowedHosts: string;
  /** ACTIONS_INPUT_MAX_BYTES, default 10485760 (10 MiB): largest file input. */
  readonly inputMaxBytes: number;
  /** ACTIONS_PUBLIC_URL: where clients reach artifact URLs; unset = the origin of actions' routing URL. */
  readonly publicUrl: string | undefined;
  /** ACTIONS_SECRET: HMAC key the projects' webhook secrets are derived from; unset = generated once into DATA_DIR. */
  readonly secret: string | undefined;
  /** ARTIFACT_TTL_SECONDS, default 86400: how long artifacts (and their URLs) are kept. */
  readonly artifactTtlSeconds: number;
  /** BILLING_URL: billing's origin for charges; default the origin of billing's routing URL. */
  readonly billingUrl: string | undefined;
  /** WEBHOOK_TIMEOUT_MS, default 10000: how long one webhook delivery may take. */
  readonly webhookTimeoutMs: number;
  /** EMAIL_VERIFY_MX, default true: email-verify asks DNS for MX records. */
  readonly emailVerifyMx: boolean;
}

export class ActionsSettingsError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ActionsSettingsError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function httpUrl(env: Env, name: string, fallback?: string): string | undefined {
  const value = (optional(env, name) ?? fallback)?.replace(/\/+$/, '');
  if (value !== undefined && (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)))
    throw new ActionsSettingsError(`${name} must be an http(s) URL, got "${value}"`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new ActionsSettingsError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

export function parseActionsSettings(env: Env): ActionsSettings {
  const leaseMs = integer(env, 'ACTIONS_LEASE_MS', 30_000, { min: 1000 });
  return Object.freeze({
    runJobWaitMs: integer(env, 'RUN_JOB_WAIT_MS', 30_000, { min: 0, max: 600_000 }),
    workerConcurrency: integer(env, 'ACTIONS_WORKER_CONCURRENCY', 2, { max: 64 }),
    leaseMs,
    jobTimeoutMs: integer(env, 'ACTIONS_JOB_TIMEOUT_MS', 120_000, { min: 1000 }),
    jobMaxAttempts: integer(env, 'ACTIONS_JOB_MAX_ATTEMPTS', 3, { max: 100 }),
    outboundAllowedHosts: optional(env, 'OUTBOUND_ALLOWED_HOSTS') ?? '',
    inputMaxBytes: integer(env, 'ACTIONS_INPUT_MAX_BYTES', 10 * 1024 * 1024),
    publicUrl: httpUrl(env, 'ACTIONS_PUBLIC_URL'),
    secret: optional(env, 'ACTIONS_SECRET'),
    artifactTtlSeconds: integer(env, 'ARTIFACT_TTL_SECONDS', 86_400),
    billingUrl: httpUrl(env, 'BILLING_URL'),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, { min: 100 }),
    emailVerifyMx: boolean(env, 'EMAIL_VERIFY_MX', true),
  });
}
