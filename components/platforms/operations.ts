// How a platform runs the operations suite's steps on one guest: shell scripts for the platform's
// host (this machine, or the nested host's dom0), or why it cannot take a step there. The suite
// times them; it never names a platform.

/** A capability a platform may lack on a host: `check` prints why it cannot (nothing when it can). */
export interface Capability {
    check?: string;
}

/** A step the platform cannot take on any host of this kind, and why. */
export interface Cannot {
    cannot: string;
}

export interface GuestOperations {
    /** Power off hard, and start again (boot is timed from start to a guest that answers). */
    stop: string;
    start: string;
    /** Freeze the guest in place, and let it run again. */
    pause: string;
    resume: string;
    /** A copy-on-write clone of the stopped guest (not started), and its removal. */
    clone: (Capability & { make: string; discard: string }) | Cannot;
    /** Save the running guest's state to a file (the guest stops), restore it, remove the file. */
    checkpoint: (Capability & { save: string; restore: string; discard: string }) | Cannot;
    /**
     * Move the running guest, live, to another instance of the platform on the same host (timed).
     * `ready` prepares that instance beforehand, `back` returns the guest where the testbed keeps it afterwards (both untimed).
     */
    migrate: (Capability & { ready?: string; move: string; back?: string; how: string }) | Cannot;
    /** After the guest came back: what its host-side link lost when it restarted (our mark). */
    settle: string;
    /** After a failure: the guest running again, no clone or saved state left. */
    recover: string;
}

export function cannot<T extends object>(step: T | Cannot): step is Cannot {
    return "cannot" in step && typeof (step as Cannot).cannot === "string";
}
