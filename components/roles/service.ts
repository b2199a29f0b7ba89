/**
 * Shell that installs a role's start script in /etc/vtb/services.d (the guest init runs these at
 * every boot) and runs it now. Start scripts record their PIDs, so a re-run stops only what the
 * previous run started.
 */
export function installService(name: string, startScript: string): string {
    return `mkdir -p /etc/vtb/services.d
cat > /etc/vtb/services.d/${name}.sh <<'VTB_SERVICE'
${startScript.trim()}
VTB_SERVICE
sh /etc/vtb/services.d/${name}.sh
`;
}

/**
 * Start script body that runs `count` supervised copies of a command: each copy is restarted when
 * it exits, after a back-off that doubles up to 30 s (reset after a minute of running). The
 * supervisors' PIDs go to /run/vtb-<name>.pids (stopping one stops its copy too); each copy's own
 * PID goes to $PID_FILE, /run/vtb-<name>-<i>.pid, written by the copy itself once it is ready (the
 * supervisor removes the old one first), for whoever must wait for it or signal the process itself.
 */
export function supervisedProcesses(name: string, count: number, envFile: string, command: string): string {
    return `pidfile=/run/vtb-${name}.pids
[ -f $pidfile ] && for p in $(cat $pidfile); do kill $p 2>/dev/null || true; done
: > $pidfile
i=1
while [ $i -le ${count} ]; do
  (
    trap 'kill $child 2>/dev/null; exit 0' TERM INT
    delay=1
    while :; do
      started=$(date +%s)
      rm -f /run/vtb-${name}-$i.pid
      ( set -a; . ${envFile}; PID_FILE=/run/vtb-${name}-$i.pid; exec ${command} ) &
      child=$!
      wait $child
      echo "$(date -Is) ${name} $i exited with $?; restarting in $delay s"
      [ $(( $(date +%s) - started )) -ge 60 ] && delay=1
      sleep $delay
      [ $delay -lt 30 ] && delay=$((delay * 2))
    done
  ) >>/var/log/vtb-${name}-$i.log 2>&1 &
  echo $! >> $pidfile
  i=$((i + 1))
done`;
}

/** Writes a private environment file (credentials) in the guest. */
export function envFile(path: string, vars: Record<string, string>): string {
    const body = Object.entries(vars)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n");
    return `umask 077; mkdir -p $(dirname ${path})
cat > ${path} <<'VTB_ENV'
${body}
VTB_ENV
`;
}
