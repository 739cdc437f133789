# Sourced by abra: config versions and custom commands (`abra app cmd <domain> app <name>`).
export HELLO_CONFIG_VERSION=v1

# Print the upstream version the running container reports.
version() {
  wget -q -O - "http://127.0.0.1:8080/cgi-bin/version"
}
