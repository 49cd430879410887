#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster made from the machine's binaries.
# The cluster lives in a temporary directory, listens on 127.0.0.1 on a free port, and is
# removed afterwards. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir="$candidate"
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql-15)." >&2
  exit 1
fi

as_pg=()
if [ "$(id -u)" = "0" ]; then
  as_pg=(runuser -u postgres --)
fi

cluster="$(mktemp -d /tmp/tend-pg.XXXXXX)"
chmod 755 "$cluster"
[ "${#as_pg[@]}" -gt 0 ] && chown postgres "$cluster"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
  start >/dev/null

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
