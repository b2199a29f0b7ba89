#!/bin/sh
# virt-testbed guest init (run by tini in every guest): loopback, host keys, sshd, then every
# role service in /etc/vtb/services.d, then idle.
ip link set lo up
mkdir -p /run/sshd /etc/vtb/services.d
[ -f /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -A >/dev/null 2>&1
/usr/sbin/sshd
for s in /etc/vtb/services.d/*.sh; do [ -f "$s" ] && sh "$s" >>/var/log/vtb-services.log 2>&1; done
exec sleep infinity
