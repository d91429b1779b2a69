#!/usr/bin/env bash
# `make test-py313`: the test lock installed on Python 3.13 and a test subset run on
# it. This machine's Debian 12 has only Python 3.11, and no 3.12 is to be had here
# (no Debian suite ships one; uv's interpreter downloads are not reachable), so the
# interpreter is Debian 13's python3.13, in a Debian 13 chroot made with debootstrap
# from Debian's own archive (a minimal system, ~300 MB, made once and kept in
# $PY313_CHROOT). The chroot shares this machine's network: the tests use the
# PostgreSQL and Redis of DATABASE_URL / REDIS_URL (make services). Needs root.
#
#   PY313_TESTS="tests/cms tests/delivery" make test-py313
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHROOT=${PY313_CHROOT:-/var/tmp/cms-py313}
TESTS=${PY313_TESTS:-tests/cms tests/delivery tests/deploy/test_packaging.py tests/deploy/test_first_run.py}
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cms_py313}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
say() { echo "[py313] $*"; }

if [ "$(id -u)" != 0 ]; then
  say "needs root (debootstrap and chroot)"
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
if [ ! -x "$CHROOT/usr/bin/python3.13" ]; then
  say "making a Debian 13 chroot with python3.13 in $CHROOT"
  debootstrap --variant=minbase \
    --include=python3.13,python3.13-venv,gcc,make,libc6-dev,ca-certificates,redis-server \
    trixie "$CHROOT" >"${CHROOT%/}.debootstrap.log"
fi
# This machine's name resolution, certificate store and pip settings.
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/certs/ca-certificates.crt"
if [ -f /etc/pip.conf ]; then cp /etc/pip.conf "$CHROOT/etc/pip.conf"; fi

mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || true; done
}
trap cleanup EXIT
for fs in proc dev; do
  if ! mountpoint -q "$CHROOT/$fs"; then
    mount --bind "/$fs" "$CHROOT/$fs"
    mounted+=("$CHROOT/$fs")
  fi
done

# The committed tree only (no virtualenv, no var/).
rm -rf "$CHROOT/src"
mkdir -p "$CHROOT/src"
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$CHROOT/src")

chroot "$CHROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root \
  PIP_DISABLE_PIP_VERSION_CHECK=1 \
  DATABASE_URL="$DATABASE_URL" REDIS_URL="$REDIS_URL" CACHE_KEY_PREFIX=py313 \
  bash -c "
    set -euo pipefail
    cd /src
    python3.13 --version
    rm -rf /venv && python3.13 -m venv /venv
    /venv/bin/pip install --quiet --no-deps --require-hashes -r requirements/test.txt
    /venv/bin/pip install --quiet --no-deps -e .
    /venv/bin/pip check
    /venv/bin/python -m pytest -p no:cacheprovider -m 'not slow and not browser' $TESTS
  "
