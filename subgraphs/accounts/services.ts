/**
 * What the accounts resolver modules (projects, keys, users; listed in index.ts) share: their context and
 * the services index.ts makes once. Every resolver scopes to the caller's project through
 * kit/authorize.ts, or to the caller themself.
 */
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { LastUsedTracker } from './api-keys.ts';
import type { Mailer } from './mailer.ts';
import type { ProfilePictures } from './profile-pictures.ts';
import type { Hmac, TokenSigner } from './secrets.ts';
import type { AccountsSettings } from './settings.ts';
import type { AccountsDatabase } from './store.ts';

export type AccountsContext = SubgraphContext<AccountsDatabase>;

/** What the resolvers need besides the request context; made once by index.ts. */
export interface AccountsServices {
  settings: AccountsSettings;
  signer: TokenSigner;
  hmac: Hmac;
  mailer: Mailer;
  lastUsed: LastUsedTracker;
  pictures: ProfilePictures;
}
