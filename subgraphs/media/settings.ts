/**
 * The media subgraph's settings, read once from `options.env`, validated with errors that name the
 * variable, then frozen. Every variable is listed in README.md; storage's own (S3_*, STORAGE_SIGNING_SECRET)
 * are read by kit/storage.
 */
export interface MediaSettings {
  /** MEDIA_PUBLIC_URL: the origin in the signed URLs this service serves; default the address it listens on. */
  readonly publicUrl: string | undefined;
  /** MEDIA_MAX_UPLOAD_BYTES, default 1 GiB: the largest asset, by upload, multipart upload or import. */
  readonly maxUploadBytes: number;
  /** MEDIA_UPLOAD_URL_TTL_SECONDS, default 3600: how long upload URLs are valid; an upload not done by then is swept. */
  readonly uploadUrlTtlSeconds: number;
  /** MEDIA_DOWNLOAD_URL_TTL_SECONDS, default 3600: how long download and thumbnail URLs are valid. */
  readonly downloadUrlTtlSeconds: number;
  /** MEDIA_MIN_PART_BYTES, default 5242880 (S3's 5 MiB): the smallest multipart part but the last. */
  readonly minPartBytes: number;
  /** MEDIA_SWEEP_INTERVAL_MS, default 5000: how often arrived S3 uploads are looked for and expired ones swept. */
  readonly sweepIntervalMs: number;
  /** MEDIA_IMPORT_TIMEOUT_MS, default 60000: the longest an import_asset fetch may take. */
  readonly importTimeoutMs: number;
  /** OUTBOUND_ALLOWED_HOSTS: private hosts import_asset may fetch from (see kit/outbound). */
  readonly outboundAllowedHosts: string | undefined;
  /** FFMPEG_PATH: the ffmpeg binary (ffprobe beside it); default `ffmpeg` and `ffprobe` from the PATH. */
  readonly ffmpegPath: string | undefined;
  /** MEDIA_PROCESSING_CONCURRENCY, default 2: processing jobs at once per replica. */
  readonly processingConcurrency: number;
  /** MEDIA_DNS_SERVERS: resolvers (ip or ip:port, comma-separated) for domain verification; default the system's. */
  readonly dnsServers: string[] | undefined;
}

export class MediaSettingsError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MediaSettingsError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function parseMediaSettings(env: Env): MediaSettings {
  const publicUrl = optional(env, 'MEDIA_PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol))) {
    throw new MediaSettingsError(`MEDIA_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  }
  return Object.freeze({
    publicUrl,
    maxUploadBytes: integer(env, 'MEDIA_MAX_UPLOAD_BYTES', 1024 * 1024 * 1024),
    uploadUrlTtlSeconds: integer(env, 'MEDIA_UPLOAD_URL_TTL_SECONDS', 3600, { max: 7 * 24 * 3600 }),
    downloadUrlTtlSeconds: integer(env, 'MEDIA_DOWNLOAD_URL_TTL_SECONDS', 3600, { max: 7 * 24 * 3600 }),
    minPartBytes: integer(env, 'MEDIA_MIN_PART_BYTES', 5 * 1024 * 1024),
    sweepIntervalMs: integer(env, 'MEDIA_SWEEP_INTERVAL_MS', 5000, { min: 50 }),
    importTimeoutMs: integer(env, 'MEDIA_IMPORT_TIMEOUT_MS', 60_000, { min: 100 }),
    outboundAllowedHosts: optional(env, 'OUTBOUND_ALLOWED_HOSTS'),
    ffmpegPath: optional(env, 'FFMPEG_PATH'),
    processingConcurrency: integer(env, 'MEDIA_PROCESSING_CONCURRENCY', 2, { max: 64 }),
    dnsServers: optional(env, 'MEDIA_DNS_SERVERS')
      ?.split(',')
      .map((server) => server.trim())
      .filter(Boolean),
  });
}
