/** The CDN's settings (control plane and edge), read once and validated; every variable is in README.md. */
import { readFileSync } from 'node:fs';
import { readInteger, readOptional, readPort, readUrl, SettingsError, type Env } from '../../core/settings.ts';
import { isHostname } from './config.ts';

export interface CdnSettings {
  /** CDN_DOMAIN, default `cdn.localhost`: distributions are named `d<id>.<CDN_DOMAIN>`. */
  readonly domain: string;
  /** CDN_DNS_SERVERS: resolvers (ip or ip:port, comma-separated) that validate certificates; default the system's. */
  readonly dnsServers: string[] | undefined;
  /** CDN_EDGE_PORT, default 4080: the edge's HTTP port. */
  readonly edgePort: number;
  /** CDN_EDGE_TLS_PORT: the edge's HTTPS port (SNI); default none. */
  readonly edgeTlsPort: number | undefined;
  /** CDN_EDGE_POLL_MS, default 1000: how often the edge reloads configs and invalidations from the store. */
  readonly edgePollMs: number;
  /** CDN_EDGE_CACHE_BYTES, default 256 MiB: the edge's in-memory cache, by body bytes. */
  readonly edgeCacheBytes: number;
  /** OUTBOUND_ALLOWED_HOSTS: private origins the edge may fetch (kit/outbound). */
  readonly outboundAllowedHosts: string | undefined;
  /** CDN_CERTIFICATE_POLL_MS, default 30 s: how often pending certificates are validated (certificate-poller.ts). */
  readonly certificatePollMs: number;
  /** ACME_DIRECTORY_URL, ACME_EMAIL, ACME_CA_FILE: issue through this ACME server; unset, the local CA issues. */
  readonly acme: AcmeSettings | undefined;
}

export interface AcmeSettings {
  readonly directoryUrl: string;
  /** The account's contact, `mailto:` it. */
  readonly email: string | undefined;
  /** ACME_CA_FILE's PEM: the CAs the directory's HTTPS is checked against, beside the system's (a test server's own). */
  readonly caPem: string | undefined;
}

// A contact address as ACME accepts it: one @, no spaces or commas (RFC 8555 mailto URLs carry one address).
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

function readAcme(env: Env): AcmeSettings | undefined {
  const directoryUrl = readUrl(env, 'ACME_DIRECTORY_URL');
  const email = readOptional(env, 'ACME_EMAIL');
  const caFile = readOptional(env, 'ACME_CA_FILE');
  if (directoryUrl === undefined) {
    if (email !== undefined || caFile !== undefined) throw new SettingsError('ACME_EMAIL and ACME_CA_FILE need ACME_DIRECTORY_URL');
    return undefined;
  }
  if (email !== undefined && !EMAIL.test(email)) throw new SettingsError(`ACME_EMAIL must be an email address, got "${email}"`);
  let caPem: string | undefined;
  if (caFile !== undefined) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch {
      throw new SettingsError(`ACME_CA_FILE must be a readable PEM file, got "${caFile}"`);
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new SettingsError(`ACME_CA_FILE holds no PEM certificate: "${caFile}"`);
  }
  return { directoryUrl, email, caPem };
}

export function parseCdnSettings(env: Env): CdnSettings {
  const domain = (readOptional(env, 'CDN_DOMAIN') ?? 'cdn.localhost').toLowerCase();
  if (!isHostname(domain)) throw new SettingsError(`CDN_DOMAIN must be a host name, got "${domain}"`);
  const tls = readOptional(env, 'CDN_EDGE_TLS_PORT');
  return Object.freeze({
    domain,
    dnsServers: readOptional(env, 'CDN_DNS_SERVERS')
      ?.split(',')
      .map((server) => server.trim())
      .filter(Boolean),
    edgePort: readPort(env, 'CDN_EDGE_PORT', 4080),
    edgeTlsPort: tls === undefined ? undefined : readPort(env, 'CDN_EDGE_TLS_PORT', 0),
    edgePollMs: readInteger(env, 'CDN_EDGE_POLL_MS', 1_000, { min: 10, max: 60_000 }),
    edgeCacheBytes: readInteger(env, 'CDN_EDGE_CACHE_BYTES', 256 * 1024 * 1024, { min: 1024 }),
    outboundAllowedHosts: readOptional(env, 'OUTBOUND_ALLOWED_HOSTS'),
    certificatePollMs: readInteger(env, 'CDN_CERTIFICATE_POLL_MS', 30_000, { min: 10, max: 3_600_000 }),
    acme: readAcme(env),
  });
}
