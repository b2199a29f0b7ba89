#!/usr/bin/env bash
# Live migration of a domain within this one host, to a second libvirtd and back.
# libvirt refuses a migration to the daemon a domain runs on: it tells hosts apart by their host
# UUID. The peer is a libvirtd of the testbed's own for one domain, in a private mount namespace
# with its own configuration (a host UUID of its own, console output to files instead of virtlogd),
# state, cache and log directories. It reads no domain or network definitions, so it starts
# nothing by itself. QEMU moves the memory over loopback; both sides share the disk files.
#
#   start NAME           start the peer for domain NAME unless it answers
#   move NAME TAP        migrate NAME, live, to its peer (the tap name TAP stays with the sender)
#   back NAME TAP        migrate NAME back from its peer, on its own tap TAP again; stop the peer
#   evict NAME MARK      destroy NAME in its peer when it carries MARK; stop the peer
#
# The peer is stopped by its PID, and only when it holds no domain.
set -euo pipefail
action="$1" name="$2"
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "migration-peer.sh: bad domain name '$name'" >&2; exit 2; }
host=qemu:///system
dir="${VTB_PEER_DIR:-/run/virt-testbed/peer}/$name" # (tests point VTB_PEER_DIR elsewhere)
peer="qemu+unix:///system?socket=$dir/run/libvirt-sock"
answers() { timeout 10 virsh -c "$peer" uri </dev/null >/dev/null 2>&1; }
holds() { [ -n "$(timeout 30 virsh -c "$peer" list --all --name </dev/null | tr -d '[:space:]')" ]; }
# Live, with the disks shared in place (--unsafe: libvirt cannot tell a local file is shared), over loopback.
migrate() { virsh -q -c "$1" migrate --live --unsafe --xml "$dir/migrate.xml" --migrateuri tcp://127.0.0.1 --listen-address 127.0.0.1 "$name" "$2" </dev/null; }

# Stops the peer this script started, by the PID it recorded (only while that PID is still a libvirtd).
kill_peer() {
  local pid; pid=$(cat "$dir/libvirtd.pid" 2>/dev/null) || return 0
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = libvirtd ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  # Gone for sure before its directories are: a late exit would remove a new peer's PID file.
  kill -KILL "$pid" 2>/dev/null || true
}

start() {
  answers && return 0
  kill_peer # one that no longer answers is not left running without its directories
  rm -rf "$dir"
  mkdir -p "$dir"/{etc,run,lib,cache,log}
  cp /etc/libvirt/libvirtd.conf /etc/libvirt/libvirt.conf "$dir/etc/"
  { cat /etc/libvirt/qemu.conf; echo 'stdio_handler = "file"'; } > "$dir/etc/qemu.conf"
  echo "host_uuid = \"$(cat /proc/sys/kernel/random/uuid)\"" >> "$dir/etc/libvirtd.conf"
  local hide=""
  # A TCG domain on a host whose KVM hangs: the peer hides /dev/kvm as libvirtd-start.sh does.
  if [ -e /dev/kvm ] && virsh -c "$host" dumpxml "$name" </dev/null | head -1 | grep -q "type='qemu'"; then
    install -m 000 /dev/null "$dir/no-kvm"
    echo 'namespaces = [ ]' >> "$dir/etc/qemu.conf"
    hide="mount --bind $dir/no-kvm /dev/kvm &&"
  fi
  unshare --mount --propagation private sh -c "
    mount --bind $dir/etc /etc/libvirt && mount --bind $dir/run /run/libvirt &&
    mount --bind $dir/lib /var/lib/libvirt && mount --bind $dir/cache /var/cache/libvirt &&
    mount --bind $dir/log /var/log/libvirt && $hide
    exec libvirtd -d -p $dir/libvirtd.pid"
  for _ in $(seq 100); do answers && break; sleep 0.2; done
  answers || { echo "the migration peer of $name started but does not answer; see $dir/log/libvirtd.log" >&2; exit 1; }
  # Its QEMU capabilities are probed now, not during the timed migration.
  virsh -c "$peer" domcapabilities --virttype "$(virsh -c "$host" dumpxml "$name" </dev/null | sed -n "1s/.*type='\([a-z]*\)'.*/\1/p")" </dev/null >/dev/null
}

stop() {
  [ -f "$dir/libvirtd.pid" ] || { rm -rf "$dir"; return 0; }
  if answers && holds; then echo "the migration peer of $name still holds a domain; it is left running" >&2; exit 1; fi
  kill_peer
  rm -rf "$dir"
}

case "$action" in
  start) start ;;
  move)
    # The receiving QEMU cannot take the tap name the sending one still holds: libvirt names a new one.
    virsh -c "$host" dumpxml --migratable "$name" </dev/null | sed "s|<target dev='$3'/>||" > "$dir/migrate.xml"
    migrate "$host" "$peer" ;;
  back)
    if [ -d "$dir" ] && answers && virsh -c "$peer" domstate "$name" 2>/dev/null </dev/null | grep -Eqx 'running|paused'; then
      virsh -c "$peer" dumpxml --migratable "$name" </dev/null | sed "s|\(<source bridge='[^']*'/>\)|\1<target dev='$3'/>|" > "$dir/migrate.xml"
      migrate "$peer" "$host"
    fi
    stop ;;
  evict)
    if [ -d "$dir" ] && answers && [ "$(virsh -c "$peer" desc "$name" 2>/dev/null </dev/null)" = "$3" ]; then
      virsh -c "$peer" destroy "$name" </dev/null >/dev/null 2>&1 || true
      virsh -c "$peer" undefine "$name" </dev/null >/dev/null 2>&1 || true
    fi
    stop ;;
  *) echo "migration-peer.sh: unknown action $action" >&2; exit 2 ;;
esac
