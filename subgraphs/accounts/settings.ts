/**
 * The accounts subgraph's settings, read once from `options.env` (never from process.env), validated with
 * errors that name the variable, then frozen. Every variable is listed in README.md.
 */
import { readInteger, readOptional, readUrl, SettingsError, type Env } from '../../core/settings.ts';
import { normalizeEmail } from '../kit/validation.ts';

export interface AccountsSettings {
  /** BOOTSTRAP_OWNER_EMAIL, default owner@localhost: the owner user created at the first start. */
  readonly bootstrapOwnerEmail: string;
  /** BOOTSTRAP_ADMIN_KEY: the exact ADMIN key created at the first start; unset = generated and printed once. */
  readonly bootstrapAdminKey: string | undefined;
  /** ACCESS_TOKEN_TTL_SECONDS, default 86400: how long a login token is valid. */
  readonly accessTokenTtlSeconds: number;
  /** JWT_PRIVATE_KEY: an Ed25519 private key (PKCS#8 PEM); unset = generated once into DATA_DIR. */
  readonly jwtPrivateKeyPem: string | undefined;
  /** ACCOUNTS_SECRET: HMAC key for OTP hashes; unset = generated once into DATA_DIR. */
  readonly accountsSecret: string | undefined;
  /** SMTP_URL, e.g. smtps://user:pass@mail.example.com; unset = messages are written to DATA_DIR/outbox/. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM, default "Cognitive Cloud <no-reply@localhost>". */
  readonly mailFrom: string;
  /** ACCOUNTS_PUBLIC_URL, default http://127.0.0.1:4001: the origin of the storage's signed URLs (filesystem). */
  readonly publicUrl: string;
  /** PROFILE_PICTURE_MAX_BYTES, default 5242880 (5 MiB). */
  readonly profilePictureMaxBytes: number;
  /** UPLOAD_URL_TTL_SECONDS, default 900: how long a profile picture upload URL is valid. */
  readonly uploadUrlTtlSeconds: number;
  /** PROFILE_PICTURE_URL_TTL_SECONDS, default 3600: how long a `User.picture` URL works. */
  readonly pictureUrlTtlSeconds: number;
  /** PROFILE_PICTURE_SWEEP_INTERVAL_MS, default 5000: how often expired uploads go and, on S3, arrived ones are looked for. */
  readonly pictureSweepIntervalMs: number;
  /** API_KEY_LAST_USED_FLUSH_MS, default 10000: how often `last_used_at` times are written in one batch. */
  readonly lastUsedFlushMs: number;
}

/** Shortest BOOTSTRAP_ADMIN_KEY accepted: a key anyone could guess would be an open door with ADMIN rights. */
const MIN_BOOTSTRAP_KEY_LENGTH = 20;

export function parseAccountsSettings(env: Env): AccountsSettings {
  const ownerEmail = readOptional(env, 'BOOTSTRAP_OWNER_EMAIL') ?? 'owner@localhost';
  const bootstrapOwnerEmail = normalizeEmail(ownerEmail);
  if (bootstrapOwnerEmail === undefined)
    throw new SettingsError(`BOOTSTRAP_OWNER_EMAIL must be an email address, got ${JSON.stringify(ownerEmail)}`);

  const bootstrapAdminKey = readOptional(env, 'BOOTSTRAP_ADMIN_KEY');
  if (bootstrapAdminKey !== undefined && (bootstrapAdminKey.length < MIN_BOOTSTRAP_KEY_LENGTH || /\s/.test(bootstrapAdminKey))) {
    throw new SettingsError(`BOOTSTRAP_ADMIN_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters without spaces`);
  }

  const publicUrl = (readUrl(env, 'ACCOUNTS_PUBLIC_URL') ?? 'http://127.0.0.1:4001').replace(/\/+$/, '');
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp', 'smtps']);

  return Object.freeze({
    bootstrapOwnerEmail,
    bootstrapAdminKey,
    accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', 86_400, { min: 1 }),
    jwtPrivateKeyPem: readOptional(env, 'JWT_PRIVATE_KEY'),
    accountsSecret: readOptional(env, 'ACCOUNTS_SECRET'),
    smtpUrl,
    mailFrom: readOptional(env, 'MAIL_FROM') ?? 'Cognitive Cloud <no-reply@localhost>',
    publicUrl,
    profilePictureMaxBytes: readInteger(env, 'PROFILE_PICTURE_MAX_BYTES', 5 * 1024 * 1024, { min: 1 }),
    uploadUrlTtlSeconds: readInteger(env, 'UPLOAD_URL_TTL_SECONDS', 900, { min: 1 }),
    pictureUrlTtlSeconds: readInteger(env, 'PROFILE_PICTURE_URL_TTL_SECONDS', 3600, { min: 1 }),
    pictureSweepIntervalMs: readInteger(env, 'PROFILE_PICTURE_SWEEP_INTERVAL_MS', 5000, { min: 100 }),
    lastUsedFlushMs: readInteger(env, 'API_KEY_LAST_USED_FLUSH_MS', 10_000, { min: 100 }),
  });
}
