import type { AcmeIssuer } from './acme-issuer.ts';
import type { KeyEncryption } from './key-encryption.ts';
import type { LocalCa } from './local-ca.ts';
import type { CdnSettings } from './settings.ts';

/** What the resolver modules and the certificate poller are given. */
export interface CdnServices {
  settings: CdnSettings;
  keys: KeyEncryption;
  ca: LocalCa;
  /** Set with ACME_DIRECTORY_URL: new certificates are then ordered from that server. */
  acme: AcmeIssuer | undefined;
}
