#!/bin/sh
# The image's entrypoint. Started as root (the default), it gives the runtime a user without
# privileges that can still do its job, then replaces itself with the runtime (PID 1 is node,
# which handles SIGTERM itself):
#   - the owner of the volume (/var/lib/localstack) when that is not root: the CLI creates the
#     folder as the user who runs it, so files there stay theirs;
#   - else `node` (uid 1000), leaving what it writes there deletable by anyone (compose has
#     Docker create the folder, as root, when it does not exist);
#   - plus the group of the Docker socket when one is mounted, so Docker stays usable.
# Started with --user, it changes nothing.
set -eu
main=/opt/localstack/dist/runtime/main.js
# a command (`docker run -it IMAGE bash`) runs as it is
if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi
if [ "$(id -u)" != 0 ]; then exec node "$main" "$@"; fi

volume=/var/lib/localstack
uid=$(stat -c %u "$volume")
gid=$(stat -c %g "$volume")
if [ "$uid" = 0 ]; then
  # a root-owned volume is one Docker made (compose, a bind mount that did not exist), and who
  # ran compose is unknown here: the runtime runs as node and leaves everything in the volume
  # writable by all (umask 0, the folder 0777, and root's again at the next start), so whoever
  # owns the folder around it can delete it without root
  uid=$(id -u node)
  gid=$(id -g node)
  umask 0000
  chmod 0777 "$volume" 2>/dev/null || true
fi
# a read-only or foreign-owned volume (NFS root_squash) is no reason not to start
mkdir -p "$volume/logs" 2>/dev/null || true
# logs/ and the last log may be root's, from an earlier run as root
for path in "$volume/logs" "$volume/logs/localstack.log"; do
  if [ -e "$path" ] && [ "$(stat -c %u "$path")" != "$uid" ]; then chown "$uid:$gid" "$path" 2>/dev/null || true; fi
  if [ -e "$path" ] && [ "$(umask)" = 0000 ]; then chmod a+rwX "$path" 2>/dev/null || true; fi
done
groups=$gid
sock=/var/run/docker.sock
if [ -S "$sock" ]; then groups="$groups,$(stat -c %g "$sock")"; fi
home=$(getent passwd "$uid" | cut -d: -f6)
export HOME="${home:-/tmp}"
exec setpriv --reuid="$uid" --regid="$gid" --groups="$groups" --inh-caps=-all node "$main" "$@"
