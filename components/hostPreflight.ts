// The preflight an up runs before anything is provisioned: the stack's plan (its validated
// settings) against its host (this machine, or the remote host it names, read over SSH) and the
// other stacks of the checkout. The program calls it, and so does the test that holds every
// committed stack file to it.
import * as fs from "fs";
import * as v8 from "v8";
import { ConfigError, TestbedConfig } from "./config";
import { checkCapacity, checkGuestMemory, checkNetwork } from "./preflight";
import { hostCapacity, hostNetwork, otherStacks, remoteHostNetwork, remoteHostProfile } from "./hostFacts";
import { platformNamed } from "./platforms";
import { notBuiltYet } from "./platforms/common/hostSetting";
import { localHostProfile } from "./platforms/common/hostProfile";
import { SshHost, SshHostError, sshHostLabel } from "./lib/sshHost";

/** A remote host that cannot be read, as a refusal naming the setting that decides it. */
function unreadable(host: SshHost, e: SshHostError): ConfigError {
    const where = sshHostLabel(host);
    switch (e.failure) {
        case "unreachable":
            return new ConfigError(
                "host",
                `could not reach ${where} over SSH: ${e.message}`,
                "Check the address and port, that sshd runs there, and that this machine may reach it.",
            );
        case "hostKey":
            return new ConfigError(
                "hostKey",
                `${where} did not present the pinned host key (${host.hostKey}): ${e.message}`,
                "Read the key on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and pin that; a key that changed unexpectedly may be another machine.",
            );
        case "auth":
            return new ConfigError(
                "hostIdentity",
                `${where} refused to log in with ${host.identityFile ?? "ssh's default keys"}: ${e.message}`,
                `Add its public key to ${host.user}'s authorized_keys there, or point hostIdentity at a key it accepts.`,
            );
        default:
            return new ConfigError("host", `reading ${where} failed: ${e.message}`, "Check that the host runs a POSIX shell with ip(8) and coreutils.");
    }
}

/** Reads a remote host, turning SSH failures into refusals. */
function onRemote<T>(host: SshHost, read: () => T): T {
    if (host.identityFile && !fs.existsSync(host.identityFile))
        throw new ConfigError("hostIdentity", `${host.identityFile} does not exist on this machine`, "Point it at the private key that logs in to the host.");
    try {
        return read();
    } catch (e) {
        throw e instanceof SshHostError ? unreadable(host, e) : e;
    }
}

/** Network collisions are refused, capacity beyond the host needs `overcommit`; returns what is overcommitted. */
export function preflight(config: TestbedConfig, stack: string, owner: string, root: string): string[] {
    const remote = config.remote;
    const profile = remote ? onRemote(remote, () => remoteHostProfile(remote)) : localHostProfile();
    const where = remote ? sshHostLabel(remote) : "this machine";
    const { network, ownLinks } = remote ? onRemote(remote, () => remoteHostNetwork(remote, owner)) : hostNetwork(owner);
    // The checkout's other stacks plan their networks on this machine.
    checkNetwork(config, network, ownLinks, remote ? [] : otherStacks(root, stack), owner);
    platformNamed(config.platform).preflight?.(config.settings, { kind: config.host, profile, where });
    checkGuestMemory(config);
    const capacity = remote
        ? { cores: profile.cores, memoryMiB: profile.memoryMiB, generatorHeapBytes: v8.getHeapStatistics().heap_size_limit }
        : hostCapacity();
    const overcommitted = checkCapacity(config, capacity);
    if (remote) throw notBuiltYet(config.platform, { kind: config.host, profile, where });
    return overcommitted;
}
