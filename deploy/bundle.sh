#!/bin/sh
# The one way a production bundle of an app is made, used by deploy/docker/<app>.Dockerfile and by
# tooling/deploy-check (which starts the bundle with the config the Helm chart renders):
#   deploy/bundle.sh <server|consumer|auditor> <out-dir>
# builds the app and its workspace dependencies (turbo), then `pnpm deploy --prod` copies the app with only its
# production dependencies into <out-dir>. `--legacy`: pnpm 10 deploys without injected workspace packages only
# in legacy mode, and injecting them (inject-workspace-packages) would change every developer's install.
# Legacy deploy resolves again instead of reading the lockfile, so it is tried offline first (the store and
# pnpm's metadata cache hold everything after `pnpm install`; a CI run once stalled >10 min resolving against
# the registry) and only then online, with bounded fetches so a stalled registry fails instead of hanging.
set -eu
app="${1:?usage: deploy/bundle.sh <server|consumer|auditor> <out-dir>}"
out="${2:?usage: deploy/bundle.sh <server|consumer|auditor> <out-dir>}"
case "$app" in server | consumer | auditor) ;; *) echo "deploy/bundle.sh: unknown app $app" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
pnpm turbo run build --filter="@granary/$app..." --output-logs=errors-only
rm -rf "$out"
if ! pnpm --filter "@granary/$app" deploy --prod --legacy --offline "$out"; then
  echo "deploy/bundle.sh: offline deploy failed (metadata not cached); resolving against the registry" >&2
  rm -rf "$out"
  pnpm --filter "@granary/$app" deploy --prod --legacy --prefer-offline --fetch-timeout=30000 --fetch-retries=1 "$out"
fi
