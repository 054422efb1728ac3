#!/usr/bin/env bash
# The main job (`npm run demo`): starts the local Kubernetes, Git server and registries,
# then runs the tether CLI. Leaves the environment up; `npm run testenv -- down` stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/node ] || npm ci
bash test/env/testenv.sh up
# shellcheck source=/dev/null
source .testenv/env.sh
echo "== kubernetes $(kubectl version -o json | node_modules/.bin/node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).serverVersion.gitVersion))') at $(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
echo "== tether --help"
node_modules/.bin/node dist/cli.js --help
