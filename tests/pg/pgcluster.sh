#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: initdb into a fresh temporary folder, listening on
# 127.0.0.1 only (and a Unix socket inside that folder), on a free port, trust authentication.
#   pgcluster.sh start STATE_DIR   starts it; writes STATE_DIR/url (the store location) and STATE_DIR/datadir
#   pgcluster.sh stop STATE_DIR    stops it and removes its folder (safe to call twice)
# initdb refuses to run as root: as root, the server runs as the "postgres" user (Debian's package
# makes it) or else "nobody". Without PostgreSQL's binaries, start writes STATE_DIR/skip with why.
set -euo pipefail

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
    return 1
}

# Runs a command as the cluster's owner (this user, or an unprivileged one when root).
as_owner() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    else
        setpriv --reuid="$owner" --regid="$(id -g "$owner")" --clear-groups --reset-env -- "$@"
    fi
}

stop_cluster() {
    [ -f "$state/datadir" ] || return 0
    local data owner
    data=$(cat "$state/datadir")
    owner=$(cat "$state/owner" 2>/dev/null || id -un)
    if [ -f "$data/postmaster.pid" ]; then
        (cd / && as_owner "$(cat "$state/bindir")/pg_ctl" -D "$data" -m immediate -w -t 30 stop) >/dev/null 2>&1 || true
    fi
    rm -rf "$(dirname "$data")"
    rm -f "$state/datadir" "$state/url"
}

case "$cmd" in
stop)
    stop_cluster
    exit 0
    ;;
start) ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac

mkdir -p "$state"
rm -f "$state/skip" "$state/url"
stop_cluster # a cluster left by an interrupted run
if ! bindir=$(find_bindir); then
    echo "PostgreSQL is not installed (Debian: apt-get install postgresql; installer/deps.sh does)" >"$state/skip"
    echo "pgcluster: $(cat "$state/skip")"
    exit 0
fi
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    if id -u postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi
echo "$bindir" >"$state/bindir"
echo "$owner" >"$state/owner"

root=$(mktemp -d "${TMPDIR:-/tmp}/sightline-pg.XXXXXX")
chmod 755 "$root"
data="$root/data"
mkdir -p "$data" "$root/socket"
if [ "$(id -u)" -eq 0 ]; then chown -R "$owner" "$root"; fi
echo "$data" >"$state/datadir"
trap 'stop_cluster' ERR

cd "$root"
as_owner "$bindir/initdb" -D "$data" -U sightline --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$root/initdb.log" 2>&1 || { cat "$root/initdb.log" >&2; false; }

# A free port: try random ones until the server starts on one (another may take it meanwhile).
started=
for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if as_owner "$bindir/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $root/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    cat "$root/server.log" >&2 || true
    stop_cluster
    echo "pgcluster: the server did not start" >&2
    exit 1
fi
as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U sightline -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE sightline_test TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
echo "postgresql://sightline@127.0.0.1:$port/sightline_test" >"$state/url"
echo "pgcluster: PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
