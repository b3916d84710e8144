#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `start` | `stop` | `status`.
#
#   eval "$(bash .ci/postgres.sh start)"   # prints: export COOPDESK_TEST_PG=postgresql+psycopg://…
#   … run the tests …
#   bash .ci/postgres.sh stop               # stops the server and deletes its cluster
#
# `start` installs the Debian package `postgresql` when no server binaries are found (via
# sudo apt-get when not root, as installers/system-deps.sh does), creates a new cluster in a
# temporary directory (trust authentication, 127.0.0.1 only, port $COOPDESK_PG_PORT,
# default 54329) and starts it. PostgreSQL refuses to run as root, so under root the cluster
# belongs to the `postgres` system user (or $COOPDESK_PG_OS_USER). Every failure exits
# non-zero with the server's log on stderr: CI must never silently lose the PostgreSQL tests.
set -euo pipefail

PORT="${COOPDESK_PG_PORT:-54329}"
ROLE="coopdesk"
STATE="${TMPDIR:-/tmp}/coopdesk-pg-${PORT}.state"  # holds the cluster directory
URL="postgresql+psycopg://${ROLE}@127.0.0.1:${PORT}/postgres"

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  d="$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")"
  [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  return 1
}

install_server() {
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server found and this is not a Debian/Ubuntu system: install PostgreSQL (initdb, pg_ctl) yourself"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing the Debian package postgresql"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

# Run a server program as the cluster's owner (PostgreSQL refuses to run as root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

pick_owner() {
  OWNER="$(id -un)"
  if [ "$(id -u)" -eq 0 ]; then
    OWNER="${COOPDESK_PG_OS_USER:-postgres}"
    if ! id "$OWNER" >/dev/null 2>&1; then
      say "creating the system user $OWNER to own the test cluster"
      useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
    fi
  fi
}

running() {  # the cluster recorded in $STATE is up
  [ -f "$STATE" ] || return 1
  local dir; dir="$(cat "$STATE")"
  [ -f "$dir/data/postmaster.pid" ] || return 1
  pick_owner
  as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start() {
  BIN="$(find_bindir)" || { install_server; BIN="$(find_bindir)" || die "postgresql was installed but initdb/pg_ctl were not found"; }
  if running; then
    say "already running on 127.0.0.1:$PORT ($(cat "$STATE"))"
    echo "export COOPDESK_TEST_PG=$URL"
    return 0
  fi
  pick_owner
  local dir
  if [ -f "$STATE" ]; then  # left by a run that did not stop its server
    dir="$(cat "$STATE")"
    case "$dir" in "${TMPDIR:-/tmp}"/coopdesk-pg.*) rm -rf "$dir" ;; esac
    rm -f "$STATE"
  fi
  dir="$(mktemp -d "${TMPDIR:-/tmp}/coopdesk-pg.XXXXXX")"
  echo "$dir" > "$STATE"
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$OWNER" "$dir"

  as_owner "$BIN/initdb" -D "$dir/data" -U "$ROLE" --auth=trust --encoding=UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  # A throwaway server: durability off (the cluster is deleted after the run), sockets kept
  # inside the cluster directory so no system directory is needed.
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  if ! as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    die "the PostgreSQL server did not start on 127.0.0.1:$PORT (is the port taken?)"
  fi
  if [ -x "$BIN/pg_isready" ] && ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 10; then
    cat "$dir/server.log" >&2 || true
    die "the PostgreSQL server started but does not accept connections on 127.0.0.1:$PORT"
  fi
  say "$("$BIN/postgres" --version) on 127.0.0.1:$PORT, cluster in $dir"
  echo "export COOPDESK_TEST_PG=$URL"
}

stop() {
  [ -f "$STATE" ] || { say "no test server recorded for port $PORT"; return 0; }
  local dir; dir="$(cat "$STATE")"
  BIN="$(find_bindir)" || die "initdb/pg_ctl not found"
  pick_owner
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || say "pg_ctl stop failed"
  fi
  case "$dir" in
    "${TMPDIR:-/tmp}"/coopdesk-pg.*) rm -rf "$dir" ;;
    *) say "not deleting unexpected directory $dir" ;;
  esac
  rm -f "$STATE"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    BIN="$(find_bindir)" || die "initdb/pg_ctl not found"
    if running; then echo "running on 127.0.0.1:$PORT ($(cat "$STATE"))"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
