#!/usr/bin/env bash
# Installs the Debian packages the local environment uses, only when one is missing.
set -euo pipefail
# buildah, qemu-user-static and binfmt-support: multi-arch image builds (test/action/build/).
# gnupg: OpenPGP-signed commits in the source verification tests.
packages=(docker-registry apache2-utils openssl curl git ca-certificates buildah qemu-user-static binfmt-support openssh-server openssh-client gnupg)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[packages] installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# Packages with services (openssh-server) must not start them: the environment runs
# its own instances on 127.0.0.1 only. policy-rc.d refuses service starts during the install.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
