# Sourced by abra: config versions and custom commands (`abra app cmd <domain> app <name>`).
# The commands run inside the app container, where httpd listens on port 8080 (see compose.yml).
export NOTES_CONFIG_VERSION=v1

# Print the upstream version the running container reports.
version() {
  wget -q -O - "http://127.0.0.1:8080/cgi-bin/version"
}

# List the notes as the running version renders them.
list_notes() {
  wget -q -O - "http://127.0.0.1:8080/cgi-bin/notes"
}

# How many notes are stored (read straight from the volume).
count_notes() {
  if [ -f /data/notes.txt ]; then wc -l </data/notes.txt | tr -d ' '; else echo 0; fi
}
