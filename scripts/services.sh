#!/usr/bin/env bash
# `make services` (and `make test`, before the suite): make sure the PostgreSQL and Redis the test suite talks to answer.
#
# The machines this project runs on (a developer's, CI's) start no database and no
# broker. This script installs Debian's `postgresql` and `redis-server` with apt-get when
# they are missing (as root), starts them when they do not answer, and leaves a machine
# that already runs both alone. A second run changes nothing.
#
#   PostgreSQL: 127.0.0.1:5432, user `postgres`, trust authentication on loopback only.
#   Redis:      127.0.0.1:6379, no persistence (the suite flushes and kills its own).
#
# To use servers you already have, point the suite at them (nothing is installed or
# started for an address that is not this machine's default):
#   DATABASE_URL=postgres://user@host:5432/cms REDIS_URL=redis://host:6379 make test
# SKIP_SERVICES=1 skips this script altogether.
set -euo pipefail

if [ -n "${SKIP_SERVICES:-}" ]; then
  exit 0
fi

say() { echo "[services] $*"; }

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379

# host and port of a URL like scheme://user:pass@host:port/db (no port: the default).
url_host_port() {
  local url=$1 default_port=$2 rest hostport
  rest=${url#*://}
  rest=${rest%%/*}
  hostport=${rest##*@}
  case $hostport in
    *:*) echo "${hostport%%:*} ${hostport##*:}" ;;
    *) echo "${hostport:-127.0.0.1} $default_port" ;;
  esac
}

is_default_local() {  # host port default_port
  case $1 in
    127.0.0.1 | localhost) [ "$2" = "$3" ] ;;
    *) return 1 ;;
  esac
}

# Does a PostgreSQL server answer? (pg_isready may be installed without any server.)
pg_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -h "$1" -p "$2" -q -t 2
  else
    # Without the client: a TCP connection that PostgreSQL accepts is good enough.
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
  fi
}

redis_answers() {
  # PING over a raw socket, so that no client needs to be installed to ask.
  local reply
  reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2 && printf 'PING\r\n' >&3 && head -c 5 <&3" 2>/dev/null || true)
  case $reply in
    +PONG*) return 0 ;;
    -NOAUTH* | -ERR*) return 0 ;;  # a server that wants a password still answers
    *) return 1 ;;
  esac
}

APT_UPDATED=
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    say "need to install $* but this is not root: install them (apt-get install $*) or point DATABASE_URL / REDIS_URL at running servers"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  apt-get install -y -qq "$@" >/dev/null
}

pg_server_binary() {
  ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1
}

ensure_postgresql() {
  if pg_answers "$PG_HOST" "$PG_PORT"; then
    return 0
  fi
  if [ -z "$(pg_server_binary)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql
  fi
  local bin version conf_dir hba
  bin=$(pg_server_binary)
  version=$(basename "$(dirname "$(dirname "$bin")")")
  conf_dir=/etc/postgresql/$version/main
  if [ ! -f "$conf_dir/postgresql.conf" ]; then
    say "creating the PostgreSQL $version cluster"
    pg_createcluster "$version" main >/dev/null
  fi
  hba=$conf_dir/pg_hba.conf
  # Trust for the postgres user on loopback, ahead of Debian's password lines (the
  # first matching line wins). Only loopback: nothing else is opened.
  if ! grep -q '^# cms: trust on loopback' "$hba"; then
    say "pg_hba.conf: trust for postgres on 127.0.0.1 and ::1"
    {
      echo '# cms: trust on loopback for the test suite (scripts/services.sh)'
      echo 'host    all    postgres    127.0.0.1/32    trust'
      echo 'host    all    postgres    ::1/128         trust'
      cat "$hba"
    } >"$hba.new"
    chown --reference="$hba" "$hba.new" 2>/dev/null || true
    chmod --reference="$hba" "$hba.new" 2>/dev/null || true
    mv "$hba.new" "$hba"
  fi
  say "starting PostgreSQL $version on $PG_HOST:$PG_PORT"
  if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster "$version" main reload
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  for _ in $(seq 1 60); do
    pg_answers "$PG_HOST" "$PG_PORT" && return 0
    sleep 0.5
  done
  say "PostgreSQL did not answer on $PG_HOST:$PG_PORT; see /var/log/postgresql/"
  exit 1
}

ensure_redis() {
  if redis_answers "$REDIS_HOST" "$REDIS_PORT"; then
    return 0
  fi
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis on $REDIS_HOST:$REDIS_PORT (no persistence)"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
    --save "" --appendonly no --dir /var/lib/redis \
    --logfile /var/log/redis/cms-services.log
  for _ in $(seq 1 40); do
    redis_answers "$REDIS_HOST" "$REDIS_PORT" && return 0
    sleep 0.25
  done
  say "Redis did not answer on $REDIS_HOST:$REDIS_PORT; see /var/log/redis/cms-services.log"
  exit 1
}

# `services.sh tools`: the machine tools the suite drives besides the services:
# Debian's Chromium (browser tests), wrk (the benchmark smoke run), a compose client
# (the docker-compose.yml check), nginx (the production smoke test). Never a
# browser download: Debian's package.
ensure_tools() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  # nginx for the production smoke test (tests/deploy/, deploy/nginx.conf).
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

if [ "${1:-services}" = tools ]; then
  ensure_tools
  exit 0
fi

read -r pg_host pg_port < <(url_host_port "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cms}" 5432)
read -r redis_host redis_port < <(url_host_port "${REDIS_URL:-redis://127.0.0.1:6379}" 6379)

case ${DATABASE_URL:-postgres://} in
  postgres*)
    if is_default_local "$pg_host" "$pg_port" 5432; then
      ensure_postgresql
    elif ! pg_answers "$pg_host" "$pg_port"; then
      say "DATABASE_URL points at $pg_host:$pg_port, which does not answer (nothing is started there)"
      exit 1
    fi
    ;;
esac

case ${REDIS_URL:-redis://} in
  redis://* | rediss://*)
    if is_default_local "$redis_host" "$redis_port" 6379; then
      ensure_redis
    elif ! redis_answers "$redis_host" "$redis_port"; then
      say "REDIS_URL points at $redis_host:$redis_port, which does not answer (nothing is started there)"
      exit 1
    fi
    ;;
esac
