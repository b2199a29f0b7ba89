/**
 * Starts a one-shot server in the background and returns once it listens: a fixed sleep is not
 * enough where starting Node takes seconds (emulated guests). Bounded: it never outlives the run.
 */
export function startServer(command: string, port: number, seconds: number): string {
    return [
        `(timeout ${seconds + 120} ${command} >/dev/null 2>&1 &)`,
        "i=0",
        `until ss -Hltn "sport = :${port}" | grep -q .; do`,
        `  i=$((i+1)); [ "$i" -le 600 ] || { echo "server on port ${port} did not listen within 60 s" >&2; exit 1; }; sleep 0.1`,
        "done",
    ].join("\n");
}
