#!/bin/sh
# The one way a production bundle of an app is made, used by deploy/docker/<app>.Dockerfile and by
# tooling/deploy-check (which starts the bundle with the config the Helm chart renders):
#   deploy/bundle.sh <server|consumer|auditor> <out-dir>
# builds the app and its workspace dependencies (turbo), then `pnpm deploy --prod` copies the app with only its
# production dependencies into <out-dir>. `--legacy`: pnpm 10 deploys without injected workspace packages only
# in legacy mode, and injecting them (inject-workspace-packages) would change every developer's install.
set -eu
app="${1:?usage: deploy/bundle.sh <server|consumer|auditor> <out-dir>}"
out="${2:?usage: deploy/bundle.sh <server|consumer|auditor> <out-dir>}"
case "$app" in server | consumer | auditor) ;; *) echo "deploy/bundle.sh: unknown app $app" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
pnpm turbo run build --filter="@granary/$app..." --output-logs=errors-only
rm -rf "$out"
pnpm --filter "@granary/$app" deploy --prod --legacy "$out"
