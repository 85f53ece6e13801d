/**
 * The media subgraph's settings, read once from `options.env`, validated with errors that name the
 * variable, then frozen. Every variable is listed in README.md; storage's own (S3_*, STORAGE_SIGNING_SECRET)
 * are read by kit/storage.
 */
import { readInteger, readOptional, readUrl, type Env } from '../../core/settings.ts';

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

export function parseMediaSettings(env: Env): MediaSettings {
  const publicUrl = readUrl(env, 'MEDIA_PUBLIC_URL')?.replace(/\/+$/, '');
  return Object.freeze({
    publicUrl,
    maxUploadBytes: readInteger(env, 'MEDIA_MAX_UPLOAD_BYTES', 1024 * 1024 * 1024, { min: 1 }),
    uploadUrlTtlSeconds: readInteger(env, 'MEDIA_UPLOAD_URL_TTL_SECONDS', 3600, { min: 1, max: 7 * 24 * 3600 }),
    downloadUrlTtlSeconds: readInteger(env, 'MEDIA_DOWNLOAD_URL_TTL_SECONDS', 3600, { min: 1, max: 7 * 24 * 3600 }),
    minPartBytes: readInteger(env, 'MEDIA_MIN_PART_BYTES', 5 * 1024 * 1024, { min: 1 }),
    sweepIntervalMs: readInteger(env, 'MEDIA_SWEEP_INTERVAL_MS', 5000, { min: 50 }),
    importTimeoutMs: readInteger(env, 'MEDIA_IMPORT_TIMEOUT_MS', 60_000, { min: 100 }),
    outboundAllowedHosts: readOptional(env, 'OUTBOUND_ALLOWED_HOSTS'),
    ffmpegPath: readOptional(env, 'FFMPEG_PATH'),
    processingConcurrency: readInteger(env, 'MEDIA_PROCESSING_CONCURRENCY', 2, { min: 1, max: 64 }),
    dnsServers: readOptional(env, 'MEDIA_DNS_SERVERS')
      ?.split(',')
      .map((server) => server.trim())
      .filter(Boolean),
  });
}
