# Starts the Xen toolstack in a freshly booted dom0 (no systemd there: our own init). Runs as
# root over SSH; idempotent. Order matters: xenstored before xen-init-dom0, or xenbus hangs.
set -e
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback xenfs dm-snapshot loop sch_tbf; do
    modprobe "$m"
done
mountpoint -q /proc/xen || mount -t xenfs xenfs /proc/xen
mkdir -p /var/run/xen /var/log/xen/console /var/lib/xen /var/lib/vtb/guests
BIN=/usr/lib/xen-4.17/bin
[ -s /run/xenstored.pid ] && kill -0 "$(cat /run/xenstored.pid)" 2>/dev/null || "$BIN/xenstored" --pid-file=/run/xenstored.pid
"$BIN/xen-init-dom0" >/dev/null
# Guest consoles go to files, so the testbed can read what a domU's init printed.
[ -s /run/xenconsoled.pid ] && kill -0 "$(cat /run/xenconsoled.pid)" 2>/dev/null \
    || "$BIN/xenconsoled" --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
xl info
