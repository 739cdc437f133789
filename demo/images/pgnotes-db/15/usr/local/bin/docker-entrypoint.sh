#!/bin/sh
# The pgnotes PostgreSQL image's entrypoint, in the manner of the official postgres image:
#
#   docker-entrypoint.sh postgres [postgres options]
#
# As root it makes the data and socket dirs belong to postgres (uid 999) and starts itself
# again as postgres (busybox su; its setpriv cannot change uids). The first start (no $PGDATA/PG_VERSION) creates the cluster: superuser
# $POSTGRES_USER with the password in $POSTGRES_PASSWORD_FILE (or $POSTGRES_PASSWORD), database
# $POSTGRES_DB, trust on the container's own unix socket, scram-sha-256 for every TCP client.
# The cluster is built in $PGDATA.init and renamed when complete, so a start that was killed
# half-way starts over instead of running a cluster without its database.
# Any other command runs as is (e.g. `docker run ... psql --version`).
set -eu

: "${PGDATA:=/var/lib/postgresql/data/pgdata}"
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}

log() { echo "pgnotes-db: $*" >&2; }

if [ "${1:-}" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$(dirname "$PGDATA")" /run/postgresql
  # Only the top of a volume a previous start already handed over is checked: starts stay fast.
  if [ "$(stat -c %u "$(dirname "$PGDATA")")" != 999 ]; then
    chown -R postgres:postgres "$(dirname "$PGDATA")"
  fi
  chown postgres:postgres /run/postgresql
  chmod 2775 /run/postgresql
  # busybox su execs (no fork): postgres stays the child of the container's init. The `--`
  # matters: su's option parser would otherwise take a `-c` among postgres' options for its own.
  # shellcheck disable=SC2016 # expanded by the shell su starts
  exec su -p -s /bin/sh -c 'exec "$0" "$@"' -- postgres "$0" "$@"
fi

password_file() {
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
    [ -s "$POSTGRES_PASSWORD_FILE" ] || { log "POSTGRES_PASSWORD_FILE=$POSTGRES_PASSWORD_FILE is missing or empty"; exit 1; }
    echo "$POSTGRES_PASSWORD_FILE"
  elif [ -n "${POSTGRES_PASSWORD:-}" ]; then
    printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/.pwfile
    echo /tmp/.pwfile
  else
    log "set POSTGRES_PASSWORD_FILE (a swarm secret) or POSTGRES_PASSWORD: the superuser needs a password for TCP clients"
    exit 1
  fi
}

init_cluster() {
  local_init=$PGDATA.init
  rm -rf "$local_init"
  log "no cluster in $PGDATA: creating one (superuser $POSTGRES_USER, database $POSTGRES_DB)"
  pwfile=$(password_file)
  initdb -D "$local_init" -U "$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --locale=C --encoding=UTF8 >/dev/null
  rm -f /tmp/.pwfile
  # initdb allows TCP from 127.0.0.1 and ::1 only; the app comes over the stack's network.
  printf '%s\n' '# recipe-ci pgnotes: every TCP client, with a password' \
    'host all all all scram-sha-256' >>"$local_init/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A server on the unix socket only, so no client sees the database before it is complete.
    pg_ctl -D "$local_init" -o "-c listen_addresses=''" -w -t 60 start >/dev/null
    printf 'CREATE DATABASE :"db";\n' \
      | psql -X -q -v ON_ERROR_STOP=1 -v db="$POSTGRES_DB" -U "$POSTGRES_USER" -d postgres
    pg_ctl -D "$local_init" -m fast -w -t 60 stop >/dev/null
  fi
  mv "$local_init" "$PGDATA"
  log "cluster ready in $PGDATA"
}

[ -s "$PGDATA/PG_VERSION" ] || init_cluster
shift
exec postgres -D "$PGDATA" "$@"
