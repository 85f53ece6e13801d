import type { LocalCa } from './local-ca.ts';
import type { CdnSettings } from './settings.ts';

/** What the resolver modules are given. */
export interface CdnServices {
  settings: CdnSettings;
  ca: LocalCa;
}
