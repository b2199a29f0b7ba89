#!/usr/bin/env bash
# Starts virtlogd and libvirtd unless a libvirtd already answers (this machine has no systemd).
# Serialized with flock: guests are created in parallel. Records the PIDs of what it started in
# /run/virt-testbed/libvirt.pids, so that the testbed stops exactly those and nothing else.
# --lease NAME PID: also records, under the same lock, that process PID is about to define domain
# NAME, so libvirtd-stop.sh (another stack's last delete) cannot stop the daemons in between.
# --hide-kvm: where KVM is present but does not work (our probe said so), libvirt would re-probe
# QEMU with accel=kvm on every define and wait ~50 s for it to hang; this libvirtd then runs in
# its own mount namespace where /dev/kvm is an inaccessible file, so it settles on TCG at once.
set -euo pipefail
hide_kvm=false; lease=""
while [ $# -gt 0 ]; do
  case "$1" in
    --hide-kvm) hide_kvm=true; shift ;;
    --lease) lease="$2 $3"; shift 3 ;;
    *) echo "libvirtd-start.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p /run/virt-testbed/libvirt.leases /var/log/libvirt /run/libvirt
exec 9>/run/virt-testbed/libvirt.lock
flock 9
if [ -n "$lease" ]; then set -- $lease; echo "$2" > "/run/virt-testbed/libvirt.leases/$1"; set --; fi
answers() { timeout 10 virsh -c qemu:///system uri </dev/null >/dev/null 2>&1; }
answers && exit 0
# 9>&-: the daemons must not inherit the lock, or they would hold it for as long as they run.
pgrep -x virtlogd >/dev/null || virtlogd -d -p /run/virt-testbed/virtlogd.pid 9>&-
if $hide_kvm && [ -e /dev/kvm ]; then
  # libvirt would copy that mount into each domain's private /dev and fail, so this libvirtd
  # also gets a qemu.conf without per-domain mount namespaces (visible to it alone).
  install -m 000 /dev/null /run/virt-testbed/no-kvm
  { cat /etc/libvirt/qemu.conf; echo 'namespaces = [ ]'; } > /run/virt-testbed/qemu.conf
  unshare --mount --propagation private sh -c '
    mount --bind /run/virt-testbed/no-kvm /dev/kvm &&
    mount --bind /run/virt-testbed/qemu.conf /etc/libvirt/qemu.conf &&
    exec libvirtd -d -p /run/virt-testbed/libvirtd.pid' 9>&-
else
  libvirtd -d -p /run/virt-testbed/libvirtd.pid 9>&-
fi
for f in libvirtd virtlogd; do [ -s "/run/virt-testbed/$f.pid" ] && echo "$(cat "/run/virt-testbed/$f.pid")"; done >> /run/virt-testbed/libvirt.pids
for _ in $(seq 100); do answers && break; sleep 0.2; done
answers || { echo "libvirtd started but qemu:///system does not answer; see /var/log/libvirt/libvirtd.log" >&2; exit 1; }

