#!/usr/bin/env bash
# Compiles workloads/ for the guests (and the host-side network probe) into build/guest, with only
# the runtime modules the workers need. Re-run after changing workloads/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/guest
rm -rf "$out/workloads" "$out/components"
npx tsc -p workloads/guest/tsconfig.json --outDir "$out"
cp workloads/guest/viz/dashboard.html "$out/workloads/guest/viz/"
# Runtime modules at the versions the project locked.
ver() { node -p "require('./node_modules/$1/package.json').version"; }
if [ ! -f "$out/node_modules/.vtb-$(ver amqplib)-$(ver pg)" ]; then
  rm -rf "$out/node_modules"
  printf '{"private":true,"dependencies":{"amqplib":"%s","pg":"%s"}}\n' "$(ver amqplib)" "$(ver pg)" > "$out/package.json"
  (cd "$out" && npm install --omit=dev --no-audit --no-fund --no-package-lock --silent)
  touch "$out/node_modules/.vtb-$(ver amqplib)-$(ver pg)"
fi
