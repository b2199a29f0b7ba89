#!/usr/bin/env bash
# Stops the libvirt daemons libvirtd-start.sh started (by PID, never by name), once no domain
# is left: another stack may still use them. Same lock as the start.
set -euo pipefail
pids=/run/virt-testbed/libvirt.pids
[ -f "$pids" ] || exit 0
exec 9>/run/virt-testbed/libvirt.lock
flock 9
# A create between its start and its define holds a lease (libvirtd-start.sh --lease): still in use.
for f in /run/virt-testbed/libvirt.leases/*; do
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && exit 0
done
domains=$(timeout 30 virsh -c qemu:///system list --all --name </dev/null 2>/dev/null | tr -d '[:space:]') || exit 0
[ -z "$domains" ] || exit 0
while read -r pid; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done < "$pids"
rm -f "$pids"
