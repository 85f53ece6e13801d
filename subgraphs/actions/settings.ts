/**
 * The actions subgraph's settings (and its worker's), read once from `options.env` (never from
 * process.env), validated with errors that name the variable, then frozen. Every variable is in README.md.
 */
import { readFlag, readInteger, readOptional, readUrl, type Env } from '../../core/settings.ts';

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

function httpUrl(env: Env, name: string): string | undefined {
  return readUrl(env, name)?.replace(/\/+$/, '');
}

export function parseActionsSettings(env: Env): ActionsSettings {
  const leaseMs = readInteger(env, 'ACTIONS_LEASE_MS', 30_000, { min: 1000 });
  return Object.freeze({
    runJobWaitMs: readInteger(env, 'RUN_JOB_WAIT_MS', 30_000, { min: 0, max: 600_000 }),
    workerConcurrency: readInteger(env, 'ACTIONS_WORKER_CONCURRENCY', 2, { min: 1, max: 64 }),
    leaseMs,
    jobTimeoutMs: readInteger(env, 'ACTIONS_JOB_TIMEOUT_MS', 120_000, { min: 1000 }),
    jobMaxAttempts: readInteger(env, 'ACTIONS_JOB_MAX_ATTEMPTS', 3, { min: 1, max: 100 }),
    outboundAllowedHosts: readOptional(env, 'OUTBOUND_ALLOWED_HOSTS') ?? '',
    inputMaxBytes: readInteger(env, 'ACTIONS_INPUT_MAX_BYTES', 10 * 1024 * 1024, { min: 1 }),
    publicUrl: httpUrl(env, 'ACTIONS_PUBLIC_URL'),
    secret: readOptional(env, 'ACTIONS_SECRET'),
    artifactTtlSeconds: readInteger(env, 'ARTIFACT_TTL_SECONDS', 86_400, { min: 1 }),
    billingUrl: httpUrl(env, 'BILLING_URL'),
    webhookTimeoutMs: readInteger(env, 'WEBHOOK_TIMEOUT_MS', 10_000, { min: 100 }),
    emailVerifyMx: readFlag(env, 'EMAIL_VERIFY_MX', true),
  });
}
