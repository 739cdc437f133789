# Sourced by abra: config versions and custom commands (`abra app cmd <domain> <service> <name>`).
# Bump a version whenever the file it names changes: swarm configs are immutable.
export PG_CONFIG_VERSION=v2

# (db) A dump of the database to stdout, e.g. `abra app cmd <domain> db dump > pgnotes.sql`.
dump() {
  pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB"
}

# (db) How many notes are stored.
count_notes() {
  psql -X -A -t -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c 'SELECT count(*) FROM notes'
}

# (app) The upstream version the running app reports.
version() {
  wget -q -O - http://127.0.0.1:8080/cgi-bin/version
}
