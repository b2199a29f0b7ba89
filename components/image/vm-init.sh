#!/bin/sh
# PID 1 of a virtual machine: does what liblxc does for a container (mounts, hostname, address,
# SSH keys, network cap, bridge) from the read-only seed disk the driver attaches as the second disk
# (/dev/vdb under QEMU/KVM, /dev/xvdb under Xen), then runs the shared init.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
for m in virtio_net e1000 xen_netfront xen_blkfront ext4 sch_tbf; do modprobe "$m" 2>/dev/null; done
seed=/dev/vdb
[ -b /dev/xvdb ] && seed=/dev/xvdb
mkdir -p /mnt/seed
mount -o ro "$seed" /mnt/seed
hostname "$(cat /mnt/seed/hostname)"
cp /mnt/seed/hostname /etc/hostname
cp /mnt/seed/hosts /etc/hosts
mkdir -p /root/.ssh && chmod 700 /root/.ssh
install -m 600 /mnt/seed/authorized_keys /root/.ssh/authorized_keys
# The host key the testbed generated for this machine and pins: sshd offers no other.
if [ -f /mnt/seed/ssh_host_ed25519_key ]; then
    install -m 600 /mnt/seed/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
    install -m 644 /mnt/seed/ssh_host_ed25519_key.pub /etc/ssh/ssh_host_ed25519_key.pub
fi
ip link set eth0 up
dev=eth0
# A Xen host (dom0) bridges its NIC so that its guests' vifs share the testbed subnet.
if [ -s /mnt/seed/bridge ]; then
    dev=$(cat /mnt/seed/bridge)
    ip link add name "$dev" type bridge
    ip link set eth0 master "$dev"
    ip link set "$dev" up
fi
ip addr add "$(cat /mnt/seed/cidr)" dev "$dev"
# Traffic out of the guest is capped here, on its own NIC; the host caps traffic into it.
if [ -s /mnt/seed/eth0-tbf ]; then
    # shellcheck disable=SC2046 # the file holds tc's arguments, one per word
    tc qdisc replace dev eth0 root $(cat /mnt/seed/eth0-tbf)
fi
# The driver reads what was applied back from the console.
echo "vtb-eth0-qdisc: $(tc qdisc show dev eth0 | head -n 1)"
umount /mnt/seed
exec /usr/bin/tini -s -- /usr/local/sbin/vtb-init
