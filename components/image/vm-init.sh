#!/bin/sh
# PID 1 of a virtual machine: does what liblxc does for a container (mounts, hostname, address,
# SSH key) from the read-only seed disk the driver attaches as /dev/vdb, then runs the shared init.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
for m in virtio_net e1000 ext4; do modprobe "$m" 2>/dev/null; done
mkdir -p /mnt/seed
mount -o ro /dev/vdb /mnt/seed
hostname "$(cat /mnt/seed/hostname)"
cp /mnt/seed/hostname /etc/hostname
cp /mnt/seed/hosts /etc/hosts
mkdir -p /root/.ssh && chmod 700 /root/.ssh
install -m 600 /mnt/seed/authorized_keys /root/.ssh/authorized_keys
ip addr add "$(cat /mnt/seed/cidr)" dev eth0
ip link set eth0 up
umount /mnt/seed
exec /usr/bin/tini -s -- /usr/local/sbin/vtb-init
