/**
 * The edge process: `npm run start:edge`. It reads the cdn subgraph's store (DATA_DIR or DATABASE_URL, as
 * the subgraph) and serves its distributions on CDN_EDGE_PORT; several edges may read one store.
 * Settings: HOST, DATA_DIR, DATABASE_URL, LOG_LEVEL (kit/settings.ts) and the CDN_* of ../README.md.
 */
import { parseOrExit } from '../../../core/settings.ts';
import { stopOnSignals } from '../../../core/graceful-close.ts';
import { createLogger } from '../../../core/logger.ts';
import { parseSubgraphSettings } from '../../kit/settings.ts';
import { openStore } from '../../kit/store.ts';
import { parseCdnSettings } from '../settings.ts';
import { migrations, type CdnDatabase } from '../store.ts';
import { startEdge } from './start-edge.ts';

const { shared, cdn } = parseOrExit('cdn edge', () => ({ shared: parseSubgraphSettings(process.env), cdn: parseCdnSettings(process.env) }));
const log = createLogger(shared.logLevel, 'cdn-edge');
const store = await openStore<CdnDatabase>({ name: 'cdn', dataDir: shared.dataDir, databaseUrl: shared.databaseUrl, migrations, log });
const edge = await startEdge({ db: store.db, settings: cdn, log, dataDir: shared.dataDir, host: shared.host });
log.info({ port: edge.port, tlsPort: edge.tlsPort }, 'cdn edge listening');
stopOnSignals(async () => {
  await edge.close();
  await store.close();
}, log);
