# shellcheck shell=sh
# Sourced by the entrypoint and the CGI scripts: how pgnotes reaches PostgreSQL, and HTTP helpers.
#
# Connection (the service's environment): DB_HOST (default db), DB_PORT (5432), DB_NAME and
# DB_USER (pgnotes), DB_PASSWORD_FILE (/run/secrets/db_password, a swarm secret).

# shellcheck disable=SC2034 # read by the scripts that source this file
PGNOTES_VERSION=1.1

export PGHOST="${DB_HOST:-db}" PGPORT="${DB_PORT:-5432}"
export PGDATABASE="${DB_NAME:-pgnotes}" PGUSER="${DB_USER:-pgnotes}"
# No TLS or Kerberos inside the stack's network: skip libpq's attempts, they only cost time.
export PGSSLMODE=disable PGGSSENCMODE=disable PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-3}" PGAPPNAME=pgnotes
if [ -r "${DB_PASSWORD_FILE:-/run/secrets/db_password}" ]; then
  PGPASSWORD=$(cat "${DB_PASSWORD_FILE:-/run/secrets/db_password}")
  export PGPASSWORD
fi

# sql [psql options]: run the SQL on stdin (where :'var' quotes a -v variable safely);
# unaligned, tuples only, no psqlrc, stop at the first error.
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# respond STATUS [TYPE]: the CGI header lines.
respond() { printf 'Status: %s\r\nContent-Type: %s\r\n\r\n' "$1" "${2:-text/plain}"; }

# db_unavailable ERRORFILE: 503 with psql's first error line.
db_unavailable() {
  respond '503 Service Unavailable'
  echo "database unavailable: $(head -n 1 "$1" 2>/dev/null)"
}

# request_body: the request body (CONTENT_LENGTH bytes).
request_body() { head -c "${CONTENT_LENGTH:-0}"; }
