#!/usr/bin/env bash
# Lets this machine run arm64 binaries (image builds' RUN steps) through qemu-user-static:
# mounts binfmt_misc and enables the qemu-aarch64 handler. Idempotent and quick when
# already done; needs root (uses sudo otherwise). Tests that build arm64 images call it.
# Exit 0 when arm64 binaries can run, 1 with the reason otherwise.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
dir=/proc/sys/fs/binfmt_misc
handler="$dir/qemu-aarch64"

if [ ! -e "$dir/register" ]; then
  $sudo mount -t binfmt_misc binfmt_misc "$dir" \
    || { echo "[binfmt] cannot mount binfmt_misc on $dir" >&2; exit 1; }
fi
if [ ! -e "$handler" ] || ! grep -q '^enabled' "$handler"; then
  command -v update-binfmts >/dev/null \
    || { echo "[binfmt] update-binfmts missing: run test/env/install-packages.sh" >&2; exit 1; }
  $sudo update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
if [ ! -e "$handler" ] || ! grep -q '^enabled' "$handler"; then
  echo "[binfmt] no enabled qemu-aarch64 handler in $dir (is qemu-user-static installed?)" >&2
  exit 1
fi
# The F flag makes the kernel open the interpreter now, so it also works inside the
# chroot buildah runs RUN steps in.
grep -q '^flags:.*F' "$handler" \
  || echo "[binfmt] warning: qemu-aarch64 is registered without the F flag; RUN in a chroot may fail" >&2
exit 0
