// How the testbed connects to a guest: only the host key it generated for that guest is accepted,
// and it refuses to connect where it has none (never trust on first use, never ignore).
import { expect } from "chai";
import { keyOnly, sshArgs, sshScript, untilConnected } from "../../components/lib/ssh";
import { hostKeySeedFiles, installHostKey, newHostKey } from "../../components/platforms/common/hostKey";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

describe("ssh: pinned host keys", () => {
    it("accepts only the pinned ed25519 key from its own known_hosts file", () => {
        const args = sshArgs("/k/key", "/k/known_hosts", "10.0.0.5");
        const options = args.filter((_, i) => args[i - 1] === "-o");
        expect(options).to.include.members([
            "StrictHostKeyChecking=yes",
            "UserKnownHostsFile=/k/known_hosts",
            "GlobalKnownHostsFile=/dev/null",
            "HostKeyAlgorithms=ssh-ed25519",
            "BatchMode=yes",
        ]);
        expect(options.join(" ")).not.to.match(/StrictHostKeyChecking=(no|accept-new)|UserKnownHostsFile=\/dev\/null/);
        expect(args[args.length - 1]).to.equal("root@10.0.0.5");
    });

    it("refuses to connect to a guest whose host key it does not hold", async () => {
        let error = "";
        await sshScript({ address: "10.0.0.5", privateKey: "k", hostKey: "" }, "true").catch((e) => (error = String(e)));
        expect(error).to.contain("no pinned SSH host key for 10.0.0.5");
    });

    it("generates a key per guest, installs it where sshd reads it, and pins its public part without the comment", async () => {
        const a = await newHostKey("vtb-t-a");
        const b = await newHostKey("vtb-t-b");
        expect(keyOnly(a.publicKey))
            .to.match(/^ssh-ed25519 \S+$/)
            .and.not.equal(keyOnly(b.publicKey));
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-hostkey-"));
        try {
            expect(installHostKey(root, a)).to.equal(keyOnly(a.publicKey));
            const key = path.join(root, "etc/ssh/ssh_host_ed25519_key");
            expect(fs.statSync(key).mode & 0o777).to.equal(0o600);
            expect(fs.readFileSync(key, "utf8")).to.equal(a.privateKey);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
        expect(Object.keys(hostKeySeedFiles(a))).to.deep.equal(["ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"]);
    });
});

describe("ssh: a guest that cannot be reached for a moment", () => {
    const refusedOnce = (message: string) => {
        let calls = 0;
        return {
            attempt: async () => {
                if (++calls === 1) throw new Error(`ssh -i key failed (exit 255): ${message}`);
                return "ran";
            },
            calls: () => calls,
        };
    };

    it("tries again while ssh never connected (nothing ran in the guest)", async () => {
        const a = refusedOnce("ssh: connect to host 10.231.3.10 port 22: No route to host");
        // Not interrupted (another test file may have raised the process-wide flag).
        expect(await untilConnected(a.attempt, 5, 1, () => false)).to.equal("ran");
        expect(a.calls()).to.equal(2);
    });

    it("never repeats a command that reached the guest, and gives up after its time", async () => {
        const reached = refusedOnce("Connection to 10.231.3.10 closed by remote host.");
        await untilConnected(reached.attempt, 5, 1, () => false).then(
            () => expect.fail("should have thrown"),
            (e: Error) => expect(e.message).to.match(/closed by remote host/),
        );
        expect(reached.calls()).to.equal(1);
        const never = async () => {
            throw new Error("ssh: connect to host 10.231.3.10 port 22: Connection refused");
        };
        await untilConnected(never, 0.05, 10, () => false).then(
            () => expect.fail("should have thrown"),
            (e: Error) => expect(e.message).to.match(/Connection refused/),
        );
    });
});
