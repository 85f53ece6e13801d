import type { AddressInfo } from 'node:net';
import { defineSubgraph } from '../kit/define-subgraph.ts';
import { createOutboundGuard } from '../kit/outbound/index.ts';
import { startPeriodicTask } from '../kit/periodic-task.ts';
import { createWorker, type Worker } from '../kit/queue/index.ts';
import { createStorage, parseStorageSettings } from '../kit/storage/index.ts';
import { registerFileServer } from './file-server.ts';
import { createFfmpeg } from '../kit/ffmpeg.ts';
import { createProcessAsset } from './processing/process-asset.ts';
import { createImageVision } from './processing/vision.ts';
import { assetResolvers } from './asset-resolvers.ts';
import { domainResolvers } from './domain-resolvers.ts';
import { libraryResolvers } from './library-resolvers.ts';
import type { MediaServices } from './services.ts';
import { parseMediaSettings, type MediaSettings } from './settings.ts';
import { migrations, type MediaDatabase } from './store.ts';
import { objectStored, PROCESS_ASSET_JOB, sweepUploads, type UploadDeps } from './uploads.ts';
import { createDomainVerifier, VERIFY_DOMAIN_JOB } from './domain-verification.ts';

export const definition = defineSubgraph<MediaDatabase, MediaSettings, MediaServices>({
  name: 'media',
  schema: [new URL('./schema.graphql', import.meta.url)],
  modules: [{ resolvers: libraryResolvers }, { resolvers: assetResolvers }, { resolvers: domainResolvers }],
  settings: parseMediaSettings,
  errors: 'cognitive-cloud',
  migrations,
  async create({ store, options, log, settings, onClose }) {
    // Unless MEDIA_PUBLIC_URL says otherwise, signed URLs name the address this service listens on.
    let listeningAt = 'http://127.0.0.1:4004';
    const storageSettings = parseStorageSettings(options.env, {
      dataDir: options.dataDir,
      publicUrl: () => settings.publicUrl ?? listeningAt,
    });
    const storage = createStorage(
      storageSettings.kind === 'filesystem' ? { ...storageSettings, minPartBytes: settings.minPartBytes } : storageSettings,
      { db: store.db },
    );
    onClose('storage', () => storage.close());
    const guard = createOutboundGuard({ allowedHosts: settings.outboundAllowedHosts });
    onClose('outbound guard', () => guard.close());
    let worker: Worker | undefined;
    const deps: UploadDeps = { db: store.db, storage, settings, log, wake: () => worker?.wake() };
    const verifyDomain = createDomainVerifier({ db: store.db, dnsServers: settings.dnsServers });
    worker = createWorker({
      db: store.db,
      handlers: {
        [PROCESS_ASSET_JOB]: createProcessAsset({ ...deps, ffmpeg: createFfmpeg(settings.ffmpegPath), vision: createImageVision() }),
        [VERIFY_DOMAIN_JOB]: verifyDomain,
      },
      concurrency: settings.processingConcurrency,
      log,
    });
    storage.onStored((key) => {
      objectStored(deps, key).catch((error: unknown) => log.error({ err: error, key }, 'could not hand an upload to processing'));
    });
    worker.start();
    onClose('processing worker', () => worker?.stop());
    const sweeper = startPeriodicTask('upload sweep', settings.sweepIntervalMs, log, () => sweepUploads(deps));
    onClose('upload sweeper', () => sweeper.stop());

    return {
      services: { ...deps, guard },
      routes(app) {
        app.server.once('listening', () => {
          const { address, port, family } = app.server.address() as AddressInfo;
          // Listening on every interface says nothing of where clients reach it: loopback, unless MEDIA_PUBLIC_URL.
          const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
          listeningAt = `http://${host}:${port}`;
        });
        storage.registerRoutes(app);
        registerFileServer(app, { db: store.db, storage });
      },
    };
  },
});
