#!/usr/bin/env bash
# Builds every binary the local environment needs from Go modules and puts them in
# .testenv/tools/bin. Built binaries are kept in a per-user cache keyed by their recipe
# (module, version, flags, Go version), so a fresh clone on the same machine reuses them
# and only a changed pin rebuilds. Go's own module and build caches are the defaults
# (~/go/pkg/mod, ~/.cache/go-build) for the same reason.
#
# Usage: bash test/env/binaries.sh [--kubernetes-version]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tools="$root/.testenv/tools/bin"
cache="${TETHER_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tether-testenv}"

# Pins. KUBERNETES_VERSION must match test/env/go/kubernetes/go.mod.
KUBERNETES_VERSION=v1.34.4
KWOK_VERSION=v0.8.0
KUSTOMIZE_VERSION=v5.8.2
HELM_VERSION=v3.22.0
OPA_VERSION=v1.22.2
KUBECONFORM_VERSION=v0.8.0
ACTIONLINT_VERSION=v1.7.12
SOPS_VERSION=v3.13.3
# Prometheus 3.16.0 (its Go module is versioned v0.MMmm.p).
PROMETHEUS_MODULE_VERSION=v0.316.0

export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

log() { printf '[binaries] %s\n' "$*" >&2; }

# recipe_key NAME PARTS... -> short hash of everything that determines the binary.
recipe_key() {
  { go version; printf '%s\n' "$@"; } | sha256sum | cut -c1-16
}

# install_cached NAME KEY BUILD_FN: run BUILD_FN OUTDIR unless the cache has NAME for KEY.
install_cached() {
  local name=$1 key=$2 build=$3 dir="$cache/$1/$2"
  if [ ! -x "$dir/$name" ]; then
    log "building $name (first time for this recipe; this takes a while)"
    local started=$SECONDS tmp
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    "$build" "$dir.tmp"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    log "built $name in $((SECONDS - started))s"
  fi
  mkdir -p "$tools"
  local f
  for f in "$dir"/*; do
    case $f in
      *.yaml) mkdir -p "$tools/../share" && cp -f "$f" "$tools/../share/" ;;
      *) ln -f "$f" "$tools/" 2>/dev/null || cp -f "$f" "$tools/" ;;
    esac
  done
}

k8s_ldflags="-s -w \
 -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION \
 -X k8s.io/component-base/version.gitMajor=$(echo "$KUBERNETES_VERSION" | cut -d. -f1 | tr -d v) \
 -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) \
 -X k8s.io/component-base/version.gitTreeState=clean \
 -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"

build_kubernetes() {
  (cd "$here/go/kubernetes" && go build -trimpath -tags selinux,notest -ldflags "$k8s_ldflags" -o "$1/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  (cd "$here/go/etcd" && go build -trimpath -ldflags "-s -w" -o "$1/etcd" .)
}

# go_install OUTDIR MODULE_PATH@VERSION [LDFLAGS]: upstream modules without replace directives.
go_install() {
  GOBIN="$1" go install -trimpath -ldflags "-s -w ${3:-}" "$2"
}
# kwok does nothing without Stage rules: render its upstream "fast" stages (nodes and pods
# become Ready at once, node heartbeats through Leases) from the same module release.
build_kwok() {
  go_install "$1" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  local dir
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  "$tools/kustomize" build "$dir/kustomize/stage/fast" >"$1/kwok-stages.yaml"
}
build_kustomize() { go_install "$1" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" "-X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION"; }
build_helm() {
  go_install "$1" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
}
build_opa() { go_install "$1" "github.com/open-policy-agent/opa@$OPA_VERSION"; }
build_kubeconform() { go_install "$1" "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"; }
# sops encrypts the SOPS test fixtures (age and OpenPGP) that the agent decrypts.
build_sops() { go_install "$1" "github.com/getsops/sops/v3/cmd/sops@$SOPS_VERSION" "-X github.com/getsops/sops/v3/version.Version=${SOPS_VERSION#v}"; }
# promtool lints the agent's /metrics and unit-tests the PrometheusRule shipped in
# agent/install/monitoring. Built without Prometheus's service discoveries (the
# remove_all_sd build tag; promtool's checks here need none of them): on the shared
# 2-core machine with Go's module cache filled, 4.5 min wall and 2.7 min CPU, against
# 12 min CPU for the full build.
PROMTOOL_TAGS=remove_all_sd
build_promtool() {
  local v=$PROMETHEUS_MODULE_VERSION
  # v0.316.0 is Prometheus 3.16.0: major 3, minor 16, patch 0.
  local release
  release=$(echo "${v#v0.}" | sed -E 's/^([0-9])0*([0-9]+)\.([0-9]+)$/\1.\2.\3/')
  GOFLAGS="-tags=$PROMTOOL_TAGS" go_install "$1" "github.com/prometheus/prometheus/cmd/promtool@$v" "-X github.com/prometheus/common/version.Version=$release"
}
build_actionlint() { go_install "$1" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION"; }

main() {
  command -v go >/dev/null || { log "go is not on PATH; install Go 1.26 first"; exit 1; }
  install_cached kube-apiserver "$(recipe_key "$k8s_ldflags" "$(cat "$here/go/kubernetes/go.mod" "$here/go/kubernetes/go.sum")")" build_kubernetes
  install_cached etcd "$(recipe_key "$(cat "$here/go/etcd/go.mod" "$here/go/etcd/go.sum" "$here/go/etcd/main.go")")" build_etcd
  install_cached kustomize "$(recipe_key "$KUSTOMIZE_VERSION")" build_kustomize
  install_cached kwok "$(recipe_key "$KWOK_VERSION" "$KUSTOMIZE_VERSION")" build_kwok
  install_cached helm "$(recipe_key "$HELM_VERSION")" build_helm
  install_cached opa "$(recipe_key "$OPA_VERSION")" build_opa
  install_cached kubeconform "$(recipe_key "$KUBECONFORM_VERSION")" build_kubeconform
  install_cached actionlint "$(recipe_key "$ACTIONLINT_VERSION")" build_actionlint
  install_cached sops "$(recipe_key "$SOPS_VERSION")" build_sops
  install_cached promtool "$(recipe_key "$PROMETHEUS_MODULE_VERSION" "$PROMTOOL_TAGS")" build_promtool
}

case "${1:-}" in
  --kubernetes-version) echo "$KUBERNETES_VERSION" ;;
  "") main ;;
  *) echo "usage: binaries.sh [--kubernetes-version]" >&2; exit 2 ;;
esac
