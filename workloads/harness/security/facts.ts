// Security facts of a guest, read from inside it (its init's credentials and confinement, what it
// can see of devices and the kernel log, what it listens on) and from the platform's host (the
// process that runs it there, if any). Scripts print "key value" lines; the parsers are pure so
// each fact is unit-tested.

/**
 * Which kernel runs, and since when: its build string and its boot time (btime of /proc/stat). A
 * container shares both with its host; a VM has its own boot time even with the same build. (Not
 * the boot id: LXC gives each container a boot id of its own.)
 */
const KERNEL_IDENTITY = `echo "btime $(awk '/^btime/ { print $2 }' /proc/stat)"
echo "build $(cat /proc/version)"`;

/** Runs in the guest as root; facts of its init (PID 1) and of what the guest can reach. */
export const GUEST_FACTS_SCRIPT = `${KERNEL_IDENTITY}
echo "kernel $(uname -r)"
while read -r inside outside count; do echo "uid_map $inside $outside $count"; done < /proc/1/uid_map
grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/1/status | tr -s ':\\t' ' '
echo "cap_last_cap $(cat /proc/sys/kernel/cap_last_cap)"
echo "device_nodes $(find /dev -xdev \\( -type b -o -type c \\) 2>/dev/null | wc -l)"
echo "block_devices $(find /dev -xdev -type b 2>/dev/null | wc -l)"
if dmesg >/dev/null 2>&1; then echo "kernel_log readable"; else echo "kernel_log refused"; fi
echo "lsm $(cat /sys/kernel/security/lsm 2>/dev/null || echo none)"
echo "label $(cat /proc/1/attr/current 2>/dev/null | tr -d '\\0' || true)"
awk '$4 == "0A" { print "listen", $2 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null || true`;

/** Runs on the platform's host: the boot id, and the credentials of the process a probe names (none where the hypervisor runs the guest). */
export function hostFactsScript(processProbe: string | undefined): string {
    const lines = [KERNEL_IDENTITY, 'echo "kernel $(uname -r)"'];
    if (!processProbe) return lines.join("\n");
    return [
        ...lines,
        `pid=$(${processProbe})`,
        'if [ -z "$pid" ] || [ ! -d /proc/$pid ]; then echo "no_process"; exit 0; fi',
        'echo "comm $(cat /proc/$pid/comm)"',
        "grep -E '^(Uid|CapEff|Seccomp|NoNewPrivs):' /proc/$pid/status | tr -s ':\\t' ' '",
        "echo \"label $(cat /proc/$pid/attr/current 2>/dev/null | tr -d '\\0' || true)\"",
        "if tr '\\0' ' ' < /proc/$pid/cmdline | grep -q -- '-sandbox on'; then echo 'sandbox on'; else echo 'sandbox off'; fi",
    ].join("\n");
}

/** A running kernel: its build string and boot time (s since the epoch). */
export interface KernelIdentity {
    build: string;
    bootTime: number;
}

/** One kernel seen from two places: the same build, booted at the same second (btime is rounded). */
export const sameKernel = (a: KernelIdentity, b: KernelIdentity) => a.build === b.build && Math.abs(a.bootTime - b.bootTime) <= 1;

export interface GuestFacts {
    running: KernelIdentity;
    kernel: string;
    /** The host uid the guest's root (uid 0) maps to, or -1 when unmapped. */
    rootMapsTo: number;
    capabilities: number;
    capabilitiesKnown: number;
    /** 0 none, 1 strict, 2 filter. */
    seccomp: number;
    noNewPrivs: boolean;
    deviceNodes: number;
    blockDevices: number;
    kernelLogReadable: boolean;
    lsm: string;
    /** The LSM label of init ("" when no LSM labels processes). */
    label: string;
    listening: string[];
}

export interface HostProcessFacts {
    comm: string;
    uid: number;
    capabilities: number;
    seccomp: number;
    label: string;
    sandbox: boolean;
}

export interface HostFacts {
    running: KernelIdentity;
    kernel: string;
    /** The process that runs the guest on the platform's host; absent when none does (a Xen domain) or no probe exists. */
    process?: HostProcessFacts;
    /** Whether a probe looked for it and found no process. */
    noProcess: boolean;
}

function keyed(out: string): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const line of out.split("\n").map((l) => l.trim())) {
        if (!line) continue;
        const i = line.indexOf(" ");
        const [k, v] = i < 0 ? [line, ""] : [line.slice(0, i), line.slice(i + 1).trim()];
        m.set(k, [...(m.get(k) ?? []), v]);
    }
    return m;
}

function required(m: Map<string, string[]>, key: string, what: string): string {
    const v = m.get(key)?.[0];
    if (v === undefined) throw new Error(`security facts of ${what}: no "${key}" in the output`);
    return v;
}

function kernelIdentity(m: Map<string, string[]>, what: string): KernelIdentity {
    const bootTime = Number(required(m, "btime", what));
    if (!Number.isFinite(bootTime) || bootTime <= 0) throw new Error(`security facts of ${what}: btime is not a time: ${m.get("btime")}`);
    return { build: required(m, "build", what), bootTime };
}

/** Set bits of a capability mask as /proc/<pid>/status prints it (hex). */
export function capabilityCount(hex: string): number {
    let n = 0;
    for (let v = BigInt(`0x${hex}`); v > 0n; v >>= 1n) n += Number(v & 1n);
    return n;
}

/** The uid in the parent namespace that uid 0 maps to, from uid_map lines "inside outside count"; -1 if none does. */
export function rootMapping(lines: string[]): number {
    for (const l of lines) {
        const [inside, outside, count] = l.split(/\s+/).map(Number);
        if (inside <= 0 && 0 < inside + count) return outside - inside;
    }
    return -1;
}

/** A /proc/net/tcp local address (hex, kernel byte order) as "any:port", "loopback:port" or "address:port". */
export function listenAddress(hex: string): string {
    const [addr, port] = hex.split(":");
    const p = parseInt(port, 16);
    if (/^0+$/.test(addr)) return `any:${p}`;
    const loopback = addr === "0100007F" || addr === "00000000000000000000000001000000";
    return `${loopback ? "loopback" : "address"}:${p}`;
}

export function parseGuestFacts(out: string, what: string): GuestFacts {
    const m = keyed(out);
    const label = m.get("label")?.[0] ?? "";
    return {
        running: kernelIdentity(m, what),
        kernel: required(m, "kernel", what),
        rootMapsTo: rootMapping(m.get("uid_map") ?? []),
        capabilities: capabilityCount(required(m, "CapEff", what)),
        capabilitiesKnown: Number(required(m, "cap_last_cap", what)) + 1,
        seccomp: Number(required(m, "Seccomp", what)),
        noNewPrivs: required(m, "NoNewPrivs", what) === "1",
        deviceNodes: Number(required(m, "device_nodes", what)),
        blockDevices: Number(required(m, "block_devices", what)),
        kernelLogReadable: required(m, "kernel_log", what) === "readable",
        lsm: required(m, "lsm", what),
        label,
        listening: [...new Set((m.get("listen") ?? []).map(listenAddress))].sort(),
    };
}

export function parseHostFacts(out: string, what: string): HostFacts {
    const m = keyed(out);
    const base = { running: kernelIdentity(m, what), kernel: required(m, "kernel", what) };
    if (m.has("no_process")) return { ...base, noProcess: true };
    if (!m.has("comm")) return { ...base, noProcess: false };
    return {
        ...base,
        noProcess: false,
        process: {
            comm: required(m, "comm", what),
            // Uid: real effective saved filesystem; the effective one is what the process may do.
            uid: Number(required(m, "Uid", what).split(" ")[1]),
            capabilities: capabilityCount(required(m, "CapEff", what)),
            seccomp: Number(required(m, "Seccomp", what)),
            label: m.get("label")?.[0] ?? "",
            sandbox: required(m, "sandbox", what) === "on",
        },
    };
}

/** An LSM label that confines: anything but none or AppArmor's/SELinux's unconfined ones. */
export const confined = (label: string) => label !== "" && !/^unconfined\b/.test(label) && !/:unconfined_t:/.test(label) && label !== "kernel";
