/**
 * What media's resolver modules (libraries, assets, domains; listed in index.ts) share: their context, the
 * services index.ts makes once, and the parents of the types whose rows they shape.
 */
import type { Selectable } from 'kysely';
import type { SubgraphContext } from '../kit/build-subgraph.ts';
import type { OutboundGuard } from '../kit/outbound/index.ts';
import type { AssetRow } from './access.ts';
import type { AssetEnhancementsTable, CustomDomainsTable, MediaDatabase } from './store.ts';
import type { UploadDeps } from './uploads.ts';

export type MediaContext = SubgraphContext<MediaDatabase>;

/** The uploads' dependencies, and the outbound guard `import_asset` fetches through. */
export type MediaServices = UploadDeps & { guard: OutboundGuard };

/** An asset as a list shows it: its row, and the count of the list it came in. */
export type AssetParent = AssetRow & { total_count?: number };
export type AssetEnhancementRow = Selectable<AssetEnhancementsTable>;
export type DomainRow = Selectable<CustomDomainsTable>;
