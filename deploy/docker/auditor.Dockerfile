# syntax=docker/dockerfile:1
# granary-auditor: docker build -f deploy/docker/auditor.Dockerfile -t granary/granary-auditor:<version> .
# (build context: the repository root). The bundle is the one deploy/bundle.sh makes, which
# tooling/deploy-check also builds and starts with the Helm chart's config on every CI run.
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1
WORKDIR /repo
# The pnpm of package.json's packageManager, from the npm registry.
RUN npm install -g pnpm@10.34.8
# Dependencies first (cached until the lockfile changes), then the sources.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN deploy/bundle.sh auditor /bundle

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    GRANARY_HEALTHCHECK_URL=http://127.0.0.1:9465/healthz
WORKDIR /app
# Owned by root and not writable by the app's user: the root filesystem can be mounted read-only
# (docker run --read-only --tmpfs /tmp; the chart sets readOnlyRootFilesystem).
COPY --from=build /bundle /app
COPY deploy/docker/healthcheck.mjs /usr/local/lib/granary/healthcheck.mjs
# The node image's unprivileged user.
USER 1000:1000
EXPOSE 9465
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "/usr/local/lib/granary/healthcheck.mjs"]
# node is PID 1 and handles SIGTERM itself: a running audit is cancelled (exit 143), the service mode stops.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/main.js"]
