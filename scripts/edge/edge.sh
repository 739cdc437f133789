#!/bin/sh
# The entrypoint of recipe-ci's edge image (recipe-ci.local/edge, built by scripts/local-swarm):
#
#   edge OWNER_UID TARGET...      TARGET = host:port on the `proxy` network, e.g. tasks.app_example_org_app:8080
#
# The harness bind-mounts a directory of its own at /run/edge and holds an exclusive flock(2) on
# /run/edge/owner.lock before it starts the container. For the N-th TARGET (counting from 0) socat
# listens on the unix socket /run/edge/N.sock (mode 0600, owned by OWNER_UID, so the harness need not
# be root) and, for each connection, resolves the target through docker's embedded DNS and connects
# to it over TCP (IPv4: the overlay has no IPv6). Unix sockets belong to no network namespace, which
# is what lets a process on the host reach the overlay without ever dialling a container address.
#
# The container lives exactly as long as the harness holds its lock: `flock -s` below returns once
# the lock is released — by the harness at teardown or by the kernel when its process dies, however
# it dies — and the container then removes its sockets and the lock file and exits (docker's --rm
# removes the container). That is the deadman that a SIGKILLed harness cannot skip.
set -u
uid=$1
shift
if [ ! -e /run/edge/owner.lock ]; then
  echo "edge: /run/edge/owner.lock is missing: the harness that started this edge is gone" >&2
  exit 2
fi
n=0
pids=
for target in "$@"; do
  socat "UNIX-LISTEN:/run/edge/$n.sock,fork,unlink-early,mode=0600,user=$uid" \
    "TCP4:$target,connect-timeout=5" &
  pids="$pids $!"
  n=$((n + 1))
done
flock -s /run/edge/owner.lock true
# shellcheck disable=SC2086 # one pid per word
kill $pids 2>/dev/null
rm -f /run/edge/*.sock /run/edge/owner.lock
