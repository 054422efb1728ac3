#!/usr/bin/env bash
# The test command (`npm test`). Installs whatever is missing (npm packages, Debian
# packages, the Go-built Kubernetes, etcd and tools), checks lint, format and types,
# starts the local environment unless it is already up (and then stops it again), and
# runs every test with node:test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[ -x node_modules/.bin/node ] || npm ci
node=node_modules/.bin/node

echo "== lint and format"
npm run -s lint
echo "== typecheck"
npm run -s typecheck

if bash test/env/testenv.sh status >/dev/null 2>&1; then
  echo "== local environment already up: using it"
else
  trap 'bash test/env/testenv.sh down' EXIT
  echo "== starting the local environment"
  bash test/env/testenv.sh up
fi
# shellcheck source=/dev/null
source .testenv/env.sh

echo "== tests"
"$node" --test --test-concurrency=2 "test/**/*.test.ts"
