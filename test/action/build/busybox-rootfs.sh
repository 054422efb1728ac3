#!/usr/bin/env bash
# Prints a directory holding minimal root filesystems for image build tests:
# <dir>/arm64 and <dir>/amd64, each Debian's statically linked busybox with /bin/sh.
# There are no base images offline, so the test Containerfile copies one of these
# (FROM scratch) and its RUN steps use that shell; the arm64 one runs under QEMU.
# The .deb files are downloaded once (apt-get download, which needs the arm64
# architecture in apt's lists) and cached with the other test binaries.
set -euo pipefail
cache="${TETHER_TESTENV_CACHE:-$HOME/.cache/tether-testenv}/busybox-rootfs"
arches=(arm64 amd64)
ready=1
for a in "${arches[@]}"; do [ -x "$cache/$a/bin/sh" ] || ready=0; done
if [ "$ready" -eq 1 ]; then echo "$cache"; exit 0; fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "[rootfs] adding the arm64 architecture to apt (download only; nothing is installed)" >&2
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
fi
debs="$cache/debs"
mkdir -p "$debs"
for a in "${arches[@]}"; do
  if ! ls "$debs"/busybox-static_*_"$a".deb >/dev/null 2>&1; then
    # apt's sandbox user must be able to write the target folder.
    tmp=$(mktemp -d)
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -qq "busybox-static:$a" 2>/dev/null) \
      || { $sudo apt-get update -qq && (cd "$tmp" && apt-get download -qq "busybox-static:$a"); }
    mv "$tmp"/busybox-static_*_"$a".deb "$debs/"
    rm -rf "$tmp"
  fi
  rm -rf "$cache/$a.new"
  dpkg -x "$debs"/busybox-static_*_"$a".deb "$cache/$a.new"
  rm -rf "$cache/$a.new/usr/share"
  ln -sf busybox "$cache/$a.new/bin/sh"
  rm -rf "$cache/$a"
  mv "$cache/$a.new" "$cache/$a"
done
echo "$cache"
