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

/** Start script body that runs `count` copies of a command in the background, PIDs in a file. */
export function backgroundProcesses(name: string, count: number, envFile: string, command: string): string {
    return `pidfile=/run/vtb-${name}.pids
[ -f $pidfile ] && for p in $(cat $pidfile); do kill $p 2>/dev/null || true; done
: > $pidfile
i=1
while [ $i -le ${count} ]; do
  ( set -a; . ${envFile}; exec ${command} ) >>/var/log/vtb-${name}-$i.log 2>&1 &
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
