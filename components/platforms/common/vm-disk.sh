#!/usr/bin/env bash
# Turns a base root filesystem (components/image/build-rootfs.sh) into what a VM boots from:
# its kernel and initramfs for direct kernel boot, the Xen hypervisor, and a qcow2 base disk that every guest's
# overlay backs onto. Cached per base image in a directory QEMU's user can read; prints it.
set -euo pipefail
rootfs="$1"
images=/var/lib/virt-testbed/images
dir="$images/$(basename "$(dirname "$rootfs")")"
mkdir -p "$images"
chmod 755 /var/lib/virt-testbed "$images"
exec 9>"$images/.lock"
flock 9   # guests are created in parallel; one builds, the others wait and reuse
if [ -f "$dir/base.qcow2" ]; then echo "$dir"; exit 0; fi
tmp=$(mktemp -d "$images/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$(ls "$rootfs"/boot/vmlinuz-* | tail -1)" "$tmp/vmlinuz"
cp "$(ls "$rootfs"/boot/initrd.img-* | tail -1)" "$tmp/initrd.img"
# The Xen hypervisor, uncompressed: QEMU boots it as a multiboot kernel for a nested Xen host.
gunzip -c "$(ls "$rootfs"/boot/xen-*.gz | tail -1)" >"$tmp/xen"
# A sparse 8 GiB ext4 (room for the database and logs); qcow2 keeps only the written blocks.
mkfs.ext4 -q -F -L vtbroot -d "$rootfs" "$tmp/base.raw" 8G >&2
qemu-img convert -O qcow2 "$tmp/base.raw" "$tmp/base.qcow2"
rm "$tmp/base.raw"
chmod 644 "$tmp"/*
# The directory may hold what another platform derived from the image (lxc's id-shifted copy):
# move the files in, the base disk last, since its presence says the VM form is complete.
mkdir -p "$dir" && chmod 755 "$dir"
mv "$tmp/vmlinuz" "$tmp/initrd.img" "$tmp/xen" "$dir/"
mv "$tmp/base.qcow2" "$dir/base.qcow2"
echo "$dir"
