#!/usr/bin/env bash
# Installs the emulators `npm run bench` measures ours against, from the registries, into
# bench/.peers (not committed): each Python one in a virtualenv of its own, fakecloud with
# cargo. A peer that fails to install is reported and skipped; the bench then lists it as
# "not installed" rather than dropping it.
#
#   moto        moto[server] (PyPI)
#   localstack  localstack-core[runtime] 4.8.1 (PyPI): known to run host mode on Python 3.11
#   ministack   ministack (PyPI)
#   fakecloud   fakecloud (crates.io, cargo install; needs a Rust toolchain; slow to build)
#
# Usage: bash bench/install-peers.sh [moto] [localstack] [ministack] [fakecloud]   (default: all)
set -u
here=$(cd "$(dirname "$0")" && pwd)
peers="$here/.peers"
mkdir -p "$peers"
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(moto localstack ministack fakecloud)

status=0
venv() { # name, pip requirement, binary that proves it, extra pins (optional, space-separated)
  local name=$1 req=$2 bin=$3 pins=${4:-}
  if [ -x "$peers/$name/bin/$bin" ]; then echo "install-peers: $name is installed"; return; fi
  echo "install-peers: installing $name ($req)"
  if python3 -m venv "$peers/$name" && "$peers/$name/bin/pip" install -q "$req" $pins && [ -x "$peers/$name/bin/$bin" ]; then
    echo "install-peers: $name installed"
  else
    echo "install-peers: $name could not be installed" >&2
    status=1
  fi
}

for peer in "${wanted[@]}"; do
  case $peer in
    moto) venv moto 'moto[server]' moto_server ;;
    # pins for what localstack-core 4.8 imports that newer releases removed: cbor2._decoder
    # (cbor2 6), X509.add_extensions (pyOpenSSL 24.3), which needs cryptography < 43, which
    # needs service_identity < 24.2 (found by starting it; 4.14 fails the same way and more)
    localstack) venv localstack 'localstack-core[runtime]==4.8.1' localstack 'cbor2<5.7 pyOpenSSL<24.3 cryptography<43 service_identity<24.2' ;;
    ministack) venv ministack ministack ministack ;;
    fakecloud)
      if [ -x "$peers/cargo/bin/fakecloud" ]; then echo "install-peers: fakecloud is installed"; continue; fi
      if ! command -v cargo >/dev/null; then echo "install-peers: fakecloud needs cargo (a Rust toolchain)" >&2; status=1; continue; fi
      echo "install-peers: building fakecloud with cargo (long: about 70 minutes on 2 cores; an interrupted build resumes)"
      if CARGO_TARGET_DIR="$peers/cargo-target" cargo install --locked --quiet --root "$peers/cargo" fakecloud; then echo "install-peers: fakecloud installed"; else echo "install-peers: fakecloud could not be built" >&2; status=1; fi
      ;;
    *) echo "install-peers: unknown peer $peer" >&2; status=2 ;;
  esac
done
exit $status
