#!/usr/bin/env bash
# The local test environment: a real Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok with one fake node), a Git smart-HTTP
# server with basic auth, two CNCF distribution registries (open, and htpasswd), and a
# Helm chart repository (HTTP and HTTPS, basic auth) whose charts are also pushed as OCI
# artifacts to the open registry.
# Everything listens on 127.0.0.1; state lives in .testenv/ (ignored by git).
#
# Usage: bash test/env/testenv.sh up|down|status|env
#   up      install what is missing, start everything, write .testenv/env.sh
#           (if the environment is already up, says so and changes nothing)
#   down    stop every process it started (nothing is left behind)
#   status  one line per component; exit 1 if any is not running
#   env     print .testenv/env.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
state="$root/.testenv"
tools="$state/tools/bin"
run="$state/run"     # pid files and ports
data="$state/data"   # etcd, registries, git repositories; fresh on every `up`
logs="$state/logs"
pki="$state/pki"     # kept across restarts so kubeconfigs stay valid
envfile="$state/env.sh"

components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok git-http git-ssh registry registry-auth charts)

log() { printf '[testenv] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

pid_of() { cat "$run/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# start NAME CMD...: run CMD detached in its own session, logging to .testenv/logs/NAME.log.
start() {
  local name=$1
  shift
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

# wait_for WHAT SECONDS CMD...: poll CMD until it succeeds; show the log tail on timeout.
wait_for() {
  local what=$1 limit=$2 logname=${3:-}
  shift 3
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$logname" ] && ! alive "$logname"; then
      tail -n 30 "$logs/$logname.log" >&2 || true
      die "$logname exited while waiting for $what (log: $logs/$logname.log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      [ -n "$logname" ] && tail -n 30 "$logs/$logname.log" >&2
      die "timed out after ${limit}s waiting for $what"
    fi
    sleep 0.3
  done
}

http_status_is() { # CODE URL
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$2")" = "$1" ]
}

free_ports() {
  node -e '
    const net = require("node:net");
    const n = Number(process.argv[1]);
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", () => ok(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
  ' "$1"
}

# --- PKI: one CA, the apiserver serving cert, client certs, the service-account key ---
make_cert() { # NAME SUBJECT [SAN]
  local name=$1 subj=$2 san=${3:-}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  local ext="$pki/$name.ext"
  if [ -n "$san" ]; then
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$san" >"$ext"
  else
    printf 'extendedKeyUsage=clientAuth\n' >"$ext"
  fi
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr" "$ext"
}

ensure_ssh_keys() {
  [ -f "$pki/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -C tether-testenv-host -f "$pki/ssh_host_ed25519_key"
  [ -f "$pki/git_ssh_client" ] || ssh-keygen -q -t ed25519 -N "" -C tether-testenv-client -f "$pki/git_ssh_client"
}

ensure_pki() {
  [ -f "$pki/complete" ] && return
  log "creating certificates in $pki"
  rm -rf "$pki" && mkdir -p "$pki"
  openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -subj "/CN=tether-testenv-ca" \
    -days 3650 -out "$pki/ca.crt" 2>/dev/null
  make_cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  make_cert admin "/O=system:masters/CN=admin"
  make_cert controller-manager "/CN=system:kube-controller-manager"
  make_cert scheduler "/CN=system:kube-scheduler"
  make_cert kwok "/O=system:masters/CN=kwok"
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  touch "$pki/complete"
}

# Certificates added after a pki folder was first made are created on their own.
ensure_extra_certs() {
  [ -f "$pki/charts.crt" ] || make_cert charts "/CN=tether-test-charts" "IP:127.0.0.1,DNS:localhost"
  [ -f "$pki/git.crt" ] || make_cert git "/CN=tether-test-git" "IP:127.0.0.1,DNS:localhost"
  [ -f "$pki/git-client.crt" ] || make_cert git-client "/CN=tether-test-git-client"
}

write_kubeconfig() { # FILE USER SERVER
  local file=$1 user=$2 server=$3
  rm -f "$file"
  KUBECONFIG=$file kubectl config set-cluster testenv --server="$server" \
    --certificate-authority="$pki/ca.crt" --embed-certs >/dev/null
  KUBECONFIG=$file kubectl config set-credentials "$user" --client-certificate="$pki/$user.crt" \
    --client-key="$pki/$user.key" --embed-certs >/dev/null
  KUBECONFIG=$file kubectl config set-context testenv --cluster=testenv --user="$user" >/dev/null
  KUBECONFIG=$file kubectl config use-context testenv >/dev/null
}

# The git server is TypeScript run by Node 24 (type stripping), installed by `npm ci`.
node24="$root/node_modules/.bin/node"

ensure_installed() {
  [ -x "$node24" ] || die "Node 24 is missing: run 'npm ci' first"
  bash "$here/install-packages.sh"
  bash "$here/binaries.sh"
}

is_up() {
  local c
  for c in "${components[@]}"; do alive "$c" || return 1; done
  [ -f "$envfile" ] && KUBECONFIG="$state/admin.kubeconfig" "$tools/kubectl" get --raw /readyz >/dev/null 2>&1
}

cmd_up() {
  if is_up; then
    log "already up ($envfile)"
    return 0
  fi
  local started=$SECONDS
  ensure_installed
  export PATH="$tools:$PATH"
  # A half-started environment from an earlier run is stopped before starting again,
  # and so is this one if it fails to come up.
  cmd_down quiet
  trap 'log "stopping what was started"; cmd_down quiet' EXIT
  mkdir -p "$run" "$logs"
  rm -rf "$data" && mkdir -p "$data"
  ensure_pki
  ensure_extra_certs
  ensure_ssh_keys

  local ports
  read -r -a ports <<<"$(free_ports 13)"
  local etcd_port=${ports[0]} etcd_peer=${ports[1]} api_port=${ports[2]} kcm_port=${ports[3]}
  local sched_port=${ports[4]} kwok_port=${ports[5]} git_port=${ports[6]} reg_port=${ports[7]}
  local reg_auth_port=${ports[8]} ssh_port=${ports[9]} charts_port=${ports[10]} charts_tls_port=${ports[11]}
  local git_tls_port=${ports[12]}
  local api="https://127.0.0.1:$api_port"

  log "starting etcd"
  start etcd "$tools/etcd" --name testenv --data-dir "$data/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "testenv=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --log-level warn
  wait_for "etcd health" 60 etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

  log "starting kube-apiserver"
  # Service IPs are only allocated here, never routed. A /20 (4,094) leaves room for the
  # sync benchmark's three namespaces of 99 Services each, which a /24 (254) did not.
  start kube-apiserver "$tools/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer "$api" --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.0.0.0/20 --allow-privileged=true \
    --endpoint-reconciler-type none --profiling=false --cert-dir "$data/apiserver"
  write_kubeconfig "$state/admin.kubeconfig" admin "$api"
  write_kubeconfig "$state/controller-manager.kubeconfig" controller-manager "$api"
  write_kubeconfig "$state/scheduler.kubeconfig" scheduler "$api"
  write_kubeconfig "$state/kwok.kubeconfig" kwok "$api"
  export KUBECONFIG="$state/admin.kubeconfig"
  wait_for "kube-apiserver /readyz" 120 kube-apiserver kubectl get --raw /readyz

  log "starting kube-controller-manager, kube-scheduler"
  start kube-controller-manager "$tools/kube-controller-manager" \
    --kubeconfig "$state/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$kcm_port" --cert-dir "$data/kcm" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --use-service-account-credentials=true \
    --node-monitor-grace-period 24h
  # (kwok heartbeats the fake node only every ~10 minutes and keeps no Lease: with the
  # default 50s grace the node lifecycle controller marks it NotReady, and every pod on
  # it with it, for good, so each wait for a Deployment times out. The controller still
  # runs: it removes the not-ready taint new nodes start with.)
  start kube-scheduler "$tools/kube-scheduler" \
    --kubeconfig "$state/scheduler.kubeconfig" \
    --authentication-kubeconfig "$state/scheduler.kubeconfig" \
    --authorization-kubeconfig "$state/scheduler.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$sched_port" --cert-dir "$data/scheduler"

  log "starting kwok with one fake node"
  start kwok "$tools/kwok" --kubeconfig "$state/kwok.kubeconfig" \
    --config "$state/tools/share/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --server-address "127.0.0.1:$kwok_port" --node-ip 127.0.0.1 --cidr 10.0.1.0/24
  kubectl apply --server-side -f "$here/fake-node.yaml" >/dev/null

  log "starting git smart-HTTP server and registries"
  mkdir -p "$data/git" "$data/registry" "$data/registry-auth"
  local git_user=tether git_password registry_user=tether registry_password
  git_password=$(openssl rand -hex 12)
  registry_password=$(openssl rand -hex 12)
  TETHER_GIT_USER=$git_user TETHER_GIT_PASSWORD=$git_password \
    start git-http "$node24" "$here/git-http-server.ts" --port "$git_port" --root "$data/git" \
    --tls-port "$git_tls_port" --tls-cert "$pki/git.crt" --tls-key "$pki/git.key" \
    --tls-client-ca "$pki/ca.crt"
  write_registry_config "$data/registry/config.yml" "$data/registry" "$reg_port" ""
  htpasswd -Bbc "$data/registry-auth/htpasswd" "$registry_user" "$registry_password" 2>/dev/null
  write_registry_config "$data/registry-auth/config.yml" "$data/registry-auth" "$reg_auth_port" \
    "$data/registry-auth/htpasswd"
  start_git_ssh "$ssh_port"
  start registry docker-registry serve "$data/registry/config.yml"
  start registry-auth docker-registry serve "$data/registry-auth/config.yml"
  local charts_user=tether charts_password
  charts_password=$(openssl rand -hex 12)
  package_charts "$data/charts" "http://127.0.0.1:$charts_port"
  TETHER_CHART_USER=$charts_user TETHER_CHART_PASSWORD=$charts_password \
    start charts "$node24" "$here/chart-server.ts" --port "$charts_port" --root "$data/charts" \
    --tls-port "$charts_tls_port" --tls-cert "$pki/charts.crt" --tls-key "$pki/charts.key"

  cat >"$envfile.tmp" <<EOF
# Written by \`npm run testenv -- up\`; source it to talk to the local environment.
export KUBECONFIG='$state/admin.kubeconfig'
export TETHER_TEST_TOOLS='$tools'
# The project's Node 24 comes first too: the benchmarks and tests are TypeScript
# run directly (\`node test/bench/sync.ts\`), which the system's Node 20 cannot do.
export PATH='$tools':'$root/node_modules/.bin':"\$PATH"
export TETHER_TEST_KUBERNETES_VERSION='$(bash "$here/binaries.sh" --kubernetes-version)'
export TETHER_TEST_GIT_URL='http://127.0.0.1:$git_port'
export TETHER_TEST_GIT_ROOT='$data/git'
export TETHER_TEST_GIT_USER='$git_user'
export TETHER_TEST_GIT_PASSWORD='$git_password'
# The same repositories over HTTPS: the server's certificate is signed by
# TETHER_TEST_CHARTS_CA, and it asks for a client certificate signed by that CA too.
export TETHER_TEST_GIT_HTTPS_URL='https://127.0.0.1:$git_tls_port'
export TETHER_TEST_GIT_CLIENT_CERT='$pki/git-client.crt'
export TETHER_TEST_GIT_CLIENT_KEY='$pki/git-client.key'
export TETHER_TEST_GIT_SSH_URL='ssh://$(id -un)@127.0.0.1:$ssh_port$data/git'
export TETHER_TEST_GIT_SSH_KEY='$pki/git_ssh_client'
export TETHER_TEST_GIT_SSH_KNOWN_HOSTS='$data/ssh/known_hosts'
export TETHER_TEST_REGISTRY='127.0.0.1:$reg_port'
export TETHER_TEST_REGISTRY_AUTH='127.0.0.1:$reg_auth_port'
export TETHER_TEST_REGISTRY_USER='$registry_user'
export TETHER_TEST_REGISTRY_PASSWORD='$registry_password'
export TETHER_TEST_CHARTS_URL='http://127.0.0.1:$charts_port'
export TETHER_TEST_CHARTS_TLS_URL='https://127.0.0.1:$charts_tls_port'
export TETHER_TEST_CHARTS_CA='$pki/ca.crt'
export TETHER_TEST_CHARTS_USER='$charts_user'
export TETHER_TEST_CHARTS_PASSWORD='$charts_password'
export TETHER_TEST_CHARTS_OCI='oci://127.0.0.1:$reg_port/charts'
export TETHER_TEST_CHARTS_DIR='$data/charts'
EOF

  wait_for "git server" 30 git-http http_status_is 401 "http://127.0.0.1:$git_port/"
  wait_for "git over SSH" 30 git-ssh bash -c "exec 3<>/dev/tcp/127.0.0.1/$ssh_port"
  wait_for "open registry" 30 registry curl -fsS "http://127.0.0.1:$reg_port/v2/"
  wait_for "authenticated registry" 30 registry-auth \
    curl -fsS -o /dev/null -u "$registry_user:$registry_password" "http://127.0.0.1:$reg_auth_port/v2/"
  wait_for "chart repository" 30 charts \
    curl -fsS -o /dev/null -u "$charts_user:$charts_password" "http://127.0.0.1:$charts_port/index.yaml"
  push_oci_charts "$data/charts" "127.0.0.1:$reg_port"
  wait_for "fake node Ready" 120 kwok \
    kubectl wait --for=condition=Ready node/tether-fake-node-0 --timeout=2s
  wait_for "default ServiceAccount" 120 kube-controller-manager kubectl get serviceaccount default -n default
  mv "$envfile.tmp" "$envfile"
  trap - EXIT
  log "up in $((SECONDS - started))s; source $envfile"
}

# Helm keeps its config, cache and registry logins here, never in the user's home.
export HELM_CONFIG_HOME="$state/helm/config" HELM_CACHE_HOME="$state/helm/cache" HELM_DATA_HOME="$state/helm/data"

# The test charts under several versions, so ranges have something to choose from.
CHART_VERSIONS=(0.0.1 0.1.0 0.1.1 0.2.0)

# package_charts DIR URL: package each chart of test/env/charts at every version and
# index them with `helm repo index` (URLs absolute, as public repositories write them).
package_charts() {
  local dir=$1 url=$2 chart v
  mkdir -p "$dir"
  for chart in "$here"/charts/*/; do
    for v in "${CHART_VERSIONS[@]}"; do
      helm package "$chart" --version "$v" --destination "$dir" >/dev/null
    done
  done
  helm repo index "$dir" --url "$url"
}

# push_oci_charts DIR REGISTRY: the same packages as OCI artifacts (oci://REGISTRY/charts/NAME:VERSION).
push_oci_charts() {
  local dir=$1 registry=$2 f
  for f in "$dir"/*.tgz; do
    helm push "$f" "oci://$registry/charts" --plain-http >/dev/null 2>&1 ||
      die "helm push $f to oci://$registry/charts failed"
  done
}

# start_git_ssh PORT: sshd for git over SSH, key auth only, this user only, on 127.0.0.1.
start_git_ssh() {
  local port=$1 dir="$data/ssh"
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
  cp "$pki/git_ssh_client.pub" "$dir/authorized_keys"
  printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1-2 "$pki/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
  cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $pki/ssh_host_ed25519_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd.pid
AllowUsers $(id -un)
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
EOF
  start git-ssh "$(command -v sshd || echo /usr/sbin/sshd)" -D -e -f "$dir/sshd_config"
}

# write_registry_config FILE ROOTDIR PORT HTPASSWD
write_registry_config() {
  local file=$1 dir=$2 port=$3 htpasswd=$4
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: '$dir/blobs'}"
    echo "  delete: {enabled: true}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    if [ -n "$htpasswd" ]; then
      echo "auth:"
      echo "  htpasswd: {realm: tether-test-registry, path: '$htpasswd'}"
    fi
  } >"$file"
}

cmd_down() {
  local quiet=${1:-} c pid stopped=0
  for c in "${components[@]}"; do
    pid=$(pid_of "$c")
    [ -n "$pid" ] || continue
    # Each component is the leader of its own session: signal the whole group, so
    # children (git-http-backend) go too.
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
  done
  local deadline=$((SECONDS + 15))
  for c in "${components[@]}"; do
    pid=$(pid_of "$c")
    [ -n "$pid" ] || continue
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$run/$c.pid"
  done
  rm -f "$envfile" "$envfile.tmp"
  [ -n "$quiet" ] || log "down (stopped $stopped processes)"
}

cmd_status() {
  local c ok=0
  for c in "${components[@]}"; do
    if alive "$c"; then
      printf '%-24s running (pid %s)\n' "$c" "$(pid_of "$c")"
    else
      printf '%-24s stopped\n' "$c"
      ok=1
    fi
  done
  return $ok
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cat "$envfile" ;;
  *)
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ] || exit 2
    ;;
esac
