# One image for every service; the command chooses which one runs:
#   docker run IMAGE                                             # everything (npm start)
#   docker run IMAGE node --max-semi-space-size=32 --heap-growing-percent=30 --import tsx gateway/main.ts   # the gateway alone (flags: gateway/node-flags.ts)
#   docker run IMAGE node --import tsx subgraphs/main.ts accounts   # one subgraph
FROM node:22-bookworm-slim AS dependencies
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    APOLLO_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json supergraph.yaml supergraph.graphql ./
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY core ./core
COPY scripts ./scripts
# ffmpeg: media's video and audio metadata and frame thumbnails.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000 4001 4002 4003 4004 4005 4006 4080
# Liveness of the service on PORT (the gateway's 4000 by default); the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "scripts/start-all.ts"]
