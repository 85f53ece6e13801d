/**
 * The dalet subgraph's settings, read once from `options.env`, validated with errors naming the variable,
 * then frozen. Every variable is listed in README.md.
 */
export interface DaletSettings {
  /** DALET_BOOTSTRAP_USER, default dalet_admin: the administrator created on an empty store. */
  readonly bootstrapUser: string;
  /** DALET_BOOTSTRAP_PASSWORD, default dalet_admin: that administrator's password (a local default: set it anywhere else). */
  readonly bootstrapPassword: string;
  /** DALET_JWT_PRIVATE_KEY: an RSA private key (PKCS#8 PEM) signing login tokens; unset = generated once into DATA_DIR. */
  readonly jwtPrivateKeyPem: string | undefined;
  /** DALET_TOKEN_TTL_SECONDS, default 14400 (the doc's 4 hours): how long a login token is valid. */
  readonly tokenTtlSeconds: number;
  /**
   * DALET_STORAGE_LOCATIONS, default none: where storage units are reached from here, to read (and delete)
   * media files: `<storage unit id>=<directory or http(s) URL>`, comma-separated (`401=/mnt/isilon,402=https://proxy/media`).
   * A unit not listed is reached at its configured path when that is an absolute local path, or its HTTP URL.
   */
  readonly storageLocations: ReadonlyMap<string, string>;
  /** OUTBOUND_ALLOWED_HOSTS, default none: private hosts the outbound guard lets media files be fetched from (kit/outbound). */
  readonly outboundAllowedHosts: string | undefined;
  /** FFMPEG_PATH: the ffmpeg binary, ffprobe beside it; default `ffprobe` from the PATH. */
  readonly ffmpegPath: string | undefined;
}

export class DaletSettingsError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export const MIN_PASSWORD_LENGTH = 6;

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function parseDaletSettings(env: Env): DaletSettings {
  const bootstrapUser = (optional(env, 'DALET_BOOTSTRAP_USER') ?? 'dalet_admin').trim();
  if (!/^[^\s/]{1,64}$/.test(bootstrapUser))
    throw new DaletSettingsError('DALET_BOOTSTRAP_USER must be 1 to 64 characters without spaces or "/"');
  const bootstrapPassword = optional(env, 'DALET_BOOTSTRAP_PASSWORD') ?? 'dalet_admin';
  if (bootstrapPassword.length < MIN_PASSWORD_LENGTH)
    throw new DaletSettingsError(`DALET_BOOTSTRAP_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const ttl = optional(env, 'DALET_TOKEN_TTL_SECONDS') ?? '14400';
  if (!/^\d+$/.test(ttl) || Number(ttl) < 60 || Number(ttl) > 86_400)
    throw new DaletSettingsError(`DALET_TOKEN_TTL_SECONDS must be a whole number from 60 to 86400, got "${ttl}"`);
  return Object.freeze({
    storageLocations: parseStorageLocations(optional(env, 'DALET_STORAGE_LOCATIONS')),
    outboundAllowedHosts: optional(env, 'OUTBOUND_ALLOWED_HOSTS'),
    ffmpegPath: optional(env, 'FFMPEG_PATH'),
    bootstrapUser,
    bootstrapPassword,
    jwtPrivateKeyPem: optional(env, 'DALET_JWT_PRIVATE_KEY'),
    tokenTtlSeconds: Number(ttl),
  });
}

function parseStorageLocations(text: string | undefined): ReadonlyMap<string, string> {
  const locations = new Map<string, string>();
  for (const entry of (text ?? '').split(',').filter((part) => part.trim())) {
    const match = /^\s*(\d+)\s*=\s*(\S+)\s*$/.exec(entry);
    const location = match?.[2] ?? '';
    if (!match || !(location.startsWith('/') || /^https?:\/\//.test(location)))
      throw new DaletSettingsError(
        `DALET_STORAGE_LOCATIONS must be <storage unit id>=<absolute directory or http(s) URL>, comma-separated, got "${entry.trim()}"`,
      );
    locations.set(match[1]!, location.replace(/\/+$/, ''));
  }
  return locations;
}
