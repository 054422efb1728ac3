#!/usr/bin/env bash
# The main job (`npm run demo`): starts the local Kubernetes, Git server and
# registries, puts the example fleet repository (test/demo/fleet, one folder per
# cluster) on the Git server, and runs the Tether agent for cluster1 until the cluster
# matches the repository. In a terminal the agent keeps running: clone the repository
# (the command is printed), push a change and watch it applied; Ctrl-C stops it.
# Without a terminal (or with --once) it exits once the cluster matches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x node_modules/.bin/node ] || npm ci
node=node_modules/.bin/node
bash test/env/testenv.sh up
# shellcheck source=/dev/null
source .testenv/env.sh

repo="$TETHER_TEST_GIT_ROOT/fleet.git"
url_with_auth="http://$TETHER_TEST_GIT_USER:$TETHER_TEST_GIT_PASSWORD@${TETHER_TEST_GIT_URL#http://}/fleet.git"
if [ ! -d "$repo" ]; then
  echo "== creating the fleet repository from test/demo/fleet"
  work=$(mktemp -d)
  cp -r test/demo/fleet/. "$work/"
  git init -q --bare --initial-branch=main "$repo"
  git -C "$work" init -q --initial-branch=main
  git -C "$work" add -A
  git -C "$work" -c user.name="Tether Demo" -c user.email=demo@tether.invalid commit -qm "cluster1: infra and app-demo"
  git -C "$work" push -q "$url_with_auth" HEAD:main
  rm -rf "$work"
fi

config=.testenv/demo-agent.yaml
cat >"$config" <<YAML
namespace: tether-system
git: {url: "$TETHER_TEST_GIT_URL/fleet.git", branch: main}
interval: 5s
timeout: 2m
units:
  - {name: infra, path: clusters/cluster1/infra, prune: true}
  - {name: apps, path: clusters/cluster1/apps, prune: true, wait: true, dependsOn: [infra]}
YAML
export TETHER_GIT_USERNAME=$TETHER_TEST_GIT_USER TETHER_GIT_PASSWORD=$TETHER_TEST_GIT_PASSWORD

echo "== kubernetes $(kubectl version -o json | "$node" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).serverVersion.gitVersion))'); syncing cluster1 from $TETHER_TEST_GIT_URL/fleet.git"
"$node" dist/cli.js sync --once --config "$config" --cache-dir .testenv/demo-cache
echo
"$node" dist/cli.js status
echo
kubectl get deployments,services,configmaps -n production

if [ -t 0 ] && [ "${1:-}" != "--once" ]; then
  echo
  echo "== the agent keeps the cluster in sync (Ctrl-C stops it). In another terminal:"
  echo "   git clone $url_with_auth /tmp/fleet && cd /tmp/fleet"
  echo "   # edit clusters/cluster1/apps/app-demo.yaml (say replicas: 3), then"
  echo "   git commit -am 'more replicas' && git push"
  exec "$node" dist/cli.js agent --config "$config" --cache-dir .testenv/demo-cache --bind 127.0.0.1 --port 0
fi
