#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and CI (issue 17): initdb in a new temporary
# directory, listening only on a Unix socket inside it (no TCP port to collide on), as
# the `postgres` system user when run as root (initdb refuses root).
#
#   scripts/pg-cluster.sh start [--install]   prints the cluster directory on line 1
#                                             and its connection URL on line 2
#   scripts/pg-cluster.sh stop DIR            stops that cluster and removes DIR
#
# PG_CLUSTER_OPTIONS adds server settings (e.g. "-c fsync=on -c shared_buffers=2GB").
#
# Binaries: $PG_BINDIR when set (only there), else /usr/lib/postgresql/15/bin, else `pg_config --bindir`,
# else initdb on PATH. With --install (CI only) Debian's `postgresql` is installed
# when none is found; without it a missing PostgreSQL is an error (exit 3).
set -euo pipefail

die() { echo "pg-cluster: $1" >&2; exit "${2:-1}"; }

find_bindir() {
  # An explicit PG_BINDIR is the only place looked at (also how tests fake a missing server).
  if [ -n "${PG_BINDIR:-}" ]; then
    if [ -x "$PG_BINDIR/initdb" ] && [ -x "$PG_BINDIR/pg_ctl" ] && [ -x "$PG_BINDIR/postgres" ]; then echo "$PG_BINDIR"; return 0; fi
    return 1
  fi
  local candidates=(/usr/lib/postgresql/15/bin)
  if command -v pg_config >/dev/null 2>&1; then candidates+=("$(pg_config --bindir 2>/dev/null || true)"); fi
  if command -v initdb >/dev/null 2>&1; then candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")"); fi
  local dir
  for dir in "${candidates[@]}"; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"; return 0
    fi
  done
  return 1
}

# Runs a PostgreSQL program as the cluster's owner: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local install=0
  [ "${1:-}" = --install ] && install=1
  local bindir="" missing=""
  bindir=$(find_bindir) || missing="PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in \$PG_BINDIR, /usr/lib/postgresql/15/bin, pg_config --bindir or PATH"
  if [ -z "$missing" ] && [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    missing="running as root needs the 'postgres' system user (initdb refuses root)"
  fi
  if [ -n "$missing" ]; then
    [ "$install" = 1 ] || die "$missing; install Debian's postgresql (apt-get install postgresql), or set STAYAUDIT_SKIP_PG=1 to skip the PostgreSQL tests" 3
    echo "pg-cluster: $missing; installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update && apt-get install -y postgresql; } >&2 || die "installing postgresql failed"
    bindir=$(find_bindir) || die "postgresql was installed but initdb, pg_ctl and postgres are still not found"
  fi

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/stayaudit-pg.XXXXXX")
  mkdir "$dir/data" "$dir/socket"
  # Clients (root or not) must reach the socket: the directory is searchable by all.
  chmod 0755 "$dir" "$dir/socket"
  chmod 0700 "$dir/data"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi

  if ! as_owner "$bindir/initdb" -D "$dir/data" -U stayaudit --auth=trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"
  fi
  # The superuser `stayaudit` logs in without a password; every other role needs its
  # password (SCRAM), so tests can check passwords from URLs, PGPASSWORD and .pgpass.
  printf 'local all stayaudit trust\nlocal all all scram-sha-256\n' > "$dir/data/pg_hba.conf"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/data/pg_hba.conf"; fi
  # No TCP; fsync off: a throwaway cluster trades durability for speed. The bench
  # turns durability back on (and sizes memory) through PG_CLUSTER_OPTIONS, whose
  # `-c name=value` settings come last and so win.
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses= -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_CLUSTER_OPTIONS:-}" start >/dev/null 2>&1; then
    cat "$dir/server.log" >&2 || true
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"; die "the PostgreSQL server did not start"
  fi
  echo "$dir"
  echo "postgresql://stayaudit@/postgres?host=$dir/socket"
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] || die "usage: $0 stop DIR" 2
  case "$dir" in */stayaudit-pg.*) ;; *) die "refusing to remove $dir: not a cluster made by $0 start" 2 ;; esac
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    local bindir
    bindir=$(find_bindir) || die "cannot find pg_ctl to stop the cluster in $dir"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start [--install] | stop DIR" 2 ;;
esac
