# syntax=docker/dockerfile:1
# graph-dlp worker image for Azure Container Apps (linux/amd64).
#   docker build -t graph-dlp:0.1.0 .
#   docker run --rm --env-file graph-dlp.env -p 8080:8080 graph-dlp:0.1.0            # graph-dlp run
#   docker run --rm --env-file graph-dlp.env graph-dlp:0.1.0 subscriptions preflight # any other command
#
# NODE_VERSION is also the Node version .ci/run tests with (it reads this line), so the Node that ships is the
# Node that is tested. Bump both by editing this one line. For fully reproducible builds pin the digest as well
# (node:<version>-bookworm-slim@sha256:...) once you can resolve it from a registry.
ARG NODE_VERSION=24.21.0

# ---- build: dev dependencies + TypeScript compile -------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are not needed to compile (tsc is plain JS); skipping them avoids native builds of test-only packages.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies + compiled output only ---------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime

# Node is not designed to run as PID 1 (no default signal handlers, no zombie reaping) and Container Apps has no
# `docker run --init`, so an init is baked in: tini forwards SIGTERM to node and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    GDLP_MODE=azure \
    GDLP_HEALTH_PORT=8080

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies have no install scripts (checked in test/unit/deploy-dockerfile.test.ts).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin

# Files stay root-owned and read-only for the app; it runs as the image's built-in unprivileged user.
USER node

# Health server: /healthz (liveness) and /readyz (readiness); the Container Apps probes use the same port.
EXPOSE 8080

# Used by plain Docker/compose only; Container Apps ignores HEALTHCHECK and uses the probes from bicep/.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.GDLP_HEALTH_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# bin/graph-dlp.js runs dist/ because src/ is not in the image. `node` is invoked directly (not `npm start`,
# which swallows signals) under tini; CMD is the default subcommand so `docker run IMAGE keys list` also works.
# --max-semi-space-size=16 keeps Node 20's young-generation cap: Node 24 lets each isolate's new space grow to
# 64-128 MB, and the worker's peak RSS rose from ~260 to ~360 MB in `npm run bench -- pipeline` (~285 with the
# cap, same throughput). The pipeline bench reads these flags from here and runs the worker with them.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=16", "/app/bin/graph-dlp.js"]
CMD ["run"]
