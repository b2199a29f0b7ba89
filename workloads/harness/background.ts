// A bounded background process in a guest (a stressor, a load beyond a cap): started with a time
// bound so that it never outlives the run, stopped by its own PID with SIGINT so that it reports
// what it did, and killed if it does not stop.
import type { Target } from "./contract";

/** Seconds a load runs before it is measured beside: it reaches its level first. */
export const RAMP_SECONDS = 1;

export interface Background {
    /** Stops it (SIGINT, then SIGKILL after 30 s) and returns its output. */
    stop(): Promise<string>;
}

/**
 * Starts `command`; with `worker`, returns once a process of that name runs (stress-ng's workers
 * can take over a second to start, longer under a CPU cap: a measurement must not begin before).
 */
export async function startBackground(t: Target, tag: string, command: string, boundSeconds: number, worker?: string): Promise<Background> {
    const file = `/tmp/vtb-${tag}`;
    const waitForWorker = worker
        ? [
              "i=0",
              `until ps -eo comm | grep -qx '${worker}'; do`,
              `  kill -0 "$(cat ${file}.pid)" 2>/dev/null || { echo "${worker} ended before it started:" >&2; cat ${file}.out >&2; exit 1; }`,
              `  i=$((i+1)); [ "$i" -le 1200 ] || { echo "${worker} did not start within 120 s" >&2; exit 1; }; sleep 0.1`,
              "done",
          ]
        : [];
    await t.exec(
        [
            `rm -f ${file}.out ${file}.pid`,
            `(timeout ${Math.ceil(boundSeconds)} ${command} </dev/null >${file}.out 2>&1 & echo $! >${file}.pid)`,
            ...waitForWorker,
        ].join("\n"),
    );
    return {
        stop: () =>
            t.exec(
                [
                    `p=$(cat ${file}.pid)`,
                    'kill -INT "$p" 2>/dev/null || true',
                    "i=0",
                    'while kill -0 "$p" 2>/dev/null; do i=$((i+1)); [ "$i" -le 300 ] || { kill -KILL "$p"; break; }; sleep 0.1; done',
                    `cat ${file}.out; rm -f ${file}.out ${file}.pid`,
                ].join("\n"),
            ),
    };
}
