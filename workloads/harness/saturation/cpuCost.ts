// CPU cost per observation of each middleware component, from the guests' own process accounting
// (/proc/<pid>/stat: user + system time, and that of reaped children), read before and after a
// step. Processes are attributed by what they run, so the same figures come out of a compact
// topology and of one guest per role; only processes with the reader's own root and mount
// namespace count, so a chroot that sees the host's /proc (the native platform) counts its own
// processes alone, not those of other chroots or of containers. A process that has exited and
// is not yet reaped is counted too: its time reaches its parent's account only when reaped, so
// skipping it would make a reading go backwards.

export type Component = "broker" | "database" | "ingest" | "visualization";

/** Prints "<component> <ticks>" per process of the middleware, then "CLK_TCK <hz>"; a process that ends meanwhile is skipped (the script runs under set -e). */
export const CPU_TICKS_SCRIPT = `self=$(readlink /proc/self/ns/mnt)
for d in /proc/[0-9]*; do
  read -r line < $d/stat 2>/dev/null || continue
  comm=\${line#*(}; comm=\${comm%%)*}
  rest=\${line##*) }
  set -- $rest
  # An exited child not yet reaped (state Z) still holds its time but no root: judge it by its parent.
  if [ "$1" = Z ]; then own=/proc/$2; else own=$d; fi
  [ "$(readlink $own/root 2>/dev/null)" = / ] && [ "$(readlink $own/ns/mnt 2>/dev/null)" = "$self" ] || continue
  cmd=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null || true)
  ticks=$(( \${12} + \${13} + \${14} + \${15} ))
  case "$comm:$cmd" in
    beam.smp:*|erl_child_setup:*|epmd:*|inet_gethost:*) echo "broker $ticks" ;;
    postgres:*) echo "database $ticks" ;;
    node:*ingest/worker.js*) echo "ingest $ticks" ;;
    node:*viz/server.js*) echo "visualization $ticks" ;;
  esac
done
echo "CLK_TCK $(getconf CLK_TCK)"`;

/** CPU seconds per component from the script's output. */
export function parseCpuTicks(out: string): Partial<Record<Component, number>> {
    const lines = out.trim().split("\n");
    const hz = Number(lines.find((l) => l.startsWith("CLK_TCK "))?.split(" ")[1]);
    if (!(hz > 0)) throw new Error(`no CLK_TCK in the CPU accounting output: ${out.slice(0, 200)}`);
    const seconds: Partial<Record<Component, number>> = {};
    for (const l of lines) {
        const [name, ticks] = l.split(" ");
        if (name === "CLK_TCK") continue;
        const c = name as Component;
        seconds[c] = (seconds[c] ?? 0) + Number(ticks) / hz;
    }
    return seconds;
}

/** µs of CPU per observation for each component, from two readings of every guest and the observations stored between them; a component whose account went backwards is left out. */
export function microsPerObservation<K extends string>(
    before: Partial<Record<K, number>>,
    after: Partial<Record<K, number>>,
    observations: number,
): Partial<Record<K, number>> {
    const out: Partial<Record<K, number>> = {};
    for (const c of Object.keys(after) as K[]) {
        const used = (after[c] ?? 0) - (before[c] ?? 0);
        if (observations > 0 && used >= 0) out[c] = (used * 1e6) / observations;
    }
    return out;
}

/** Adds up readings of several guests. */
export function sumReadings(readings: Partial<Record<Component, number>>[]): Partial<Record<Component, number>> {
    const out: Partial<Record<Component, number>> = {};
    for (const r of readings) for (const [c, v] of Object.entries(r) as [Component, number][]) out[c] = (out[c] ?? 0) + v;
    return out;
}
