import { expect } from "chai";
import { libvirtUri, parseSshUri, shellQuote } from "../../components/platforms/common/hostTarget";
import { classifySshFailure, knownHostsLine, knownHostsName, sshHostArgs, sshHostLabel } from "../../components/lib/sshHost";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7c0h0mN3wG8m1tq7y3Yl0r2uPqYb6o8mVZ2Hc4yWlC";

describe("host targets (local and ssh://)", () => {
    it("parses ssh://user@host[:port] and refuses anything else", () => {
        expect(parseSshUri("ssh://root@kvm1.lab")).to.deep.equal({ user: "root", host: "kvm1.lab", port: 22 });
        expect(parseSshUri("ssh://vtb@10.0.0.5:2222/")).to.deep.equal({ user: "vtb", host: "10.0.0.5", port: 2222 });
        expect(parseSshUri("ssh://root@[fd00::5]:2222")).to.deep.equal({ user: "root", host: "fd00::5", port: 2222 });
        for (const bad of ["ssh://host", "ssh://root@", "http://root@h", "ssh://root@h:99999", "ssh://root@h;rm -rf /", "ssh://root@-oProxyCommand=x"]) {
            expect(parseSshUri(bad), bad).to.equal(undefined);
        }
    });

    it("builds the libvirt URI: the local system instance, or qemu+ssh", () => {
        expect(libvirtUri({ kind: "local" })).to.equal("qemu:///system");
        expect(libvirtUri({ kind: "ssh", user: "root", host: "kvm1", port: 2222, hostKey: KEY, identityFile: "/tmp/k ey" })).to.equal(
            "qemu+ssh://root@kvm1:2222/system?keyfile=%2Ftmp%2Fk%20ey",
        );
    });

    it("quotes shell metacharacters, including single quotes", () => {
        expect(shellQuote("plain-arg_1.0")).to.equal("plain-arg_1.0");
        expect(shellQuote("it's $HOME")).to.equal(`'it'\\''s $HOME'`);
    });
});

describe("a remote host over SSH, its key pinned", () => {
    const host = { user: "root", host: "10.0.0.5", port: 2222, hostKey: KEY, identityFile: "/k" };

    it("pins the given key under known_hosts's name for the host", () => {
        expect(knownHostsName(host)).to.equal("[10.0.0.5]:2222");
        expect(knownHostsName({ ...host, port: 22 })).to.equal("10.0.0.5");
        expect(knownHostsLine(host)).to.equal(`[10.0.0.5]:2222 ${KEY}`);
        expect(sshHostLabel(host)).to.equal("root@10.0.0.5:2222");
    });

    it("trusts the pinned key alone, never prompts, and logs in with the given identity", () => {
        const args = sshHostArgs(host, "/tmp/kh");
        expect(args).to.include.members([
            "BatchMode=yes",
            "StrictHostKeyChecking=yes",
            "UserKnownHostsFile=/tmp/kh",
            "GlobalKnownHostsFile=/dev/null",
            "-i",
            "/k",
        ]);
        expect(args).to.include.members(["KnownHostsCommand=none", "VerifyHostKeyDNS=no"]);
        expect(args.join(" ")).not.to.match(/accept-new|StrictHostKeyChecking=no/);
        expect(args[args.length - 1]).to.equal("root@10.0.0.5");
    });

    it("tells an unreachable host from a wrong host key and a refused login", () => {
        expect(classifySshFailure("ssh: connect to host 10.0.0.5 port 2222: Connection refused", 255)).to.equal("unreachable");
        expect(classifySshFailure("ssh: Could not resolve hostname nowhere: Name or service not known", 255)).to.equal("unreachable");
        expect(
            classifySshFailure("No ED25519 host key is known for [10.0.0.5]:2222 and you have requested strict checking.\nHost key verification failed.", 255),
        ).to.equal("hostKey");
        expect(classifySshFailure("root@10.0.0.5: Permission denied (publickey).", 255)).to.equal("auth");
        expect(classifySshFailure("sh: 1: ip: not found", 127)).to.equal("command");
        // The remote command's own words, whatever they say, are not ssh's.
        expect(classifySshFailure("cat: /root/x: Permission denied", 1)).to.equal("command");
    });
});
