import { expect } from "chai";
import { commandOn, libvirtUri, parseSshUri, shellQuote } from "../../components/platforms/common/hostTarget";

describe("host targets (local and ssh://)", () => {
    it("parses ssh://user@host[:port] and refuses anything else", () => {
        expect(parseSshUri("ssh://root@kvm1.lab")).to.deep.equal({ kind: "ssh", user: "root", host: "kvm1.lab", port: 22 });
        expect(parseSshUri("ssh://vtb@10.0.0.5:2222/")).to.deep.equal({ kind: "ssh", user: "vtb", host: "10.0.0.5", port: 2222 });
        for (const bad of ["ssh://host", "ssh://root@", "http://root@h", "ssh://root@h:99999", "ssh://root@h;rm -rf /"]) {
            expect(parseSshUri(bad), bad).to.equal(undefined);
        }
    });

    it("builds the libvirt URI: the local system instance, or qemu+ssh", () => {
        expect(libvirtUri({ kind: "local" })).to.equal("qemu:///system");
        expect(libvirtUri({ kind: "ssh", user: "root", host: "kvm1", port: 22 })).to.equal("qemu+ssh://root@kvm1:22/system");
        expect(libvirtUri({ kind: "ssh", user: "root", host: "kvm1", port: 2222, identityFile: "/tmp/k ey" })).to.equal(
            "qemu+ssh://root@kvm1:2222/system?keyfile=%2Ftmp%2Fk%20ey",
        );
    });

    it("runs commands as they are locally and quoted through ssh remotely", () => {
        expect(commandOn({ kind: "local" }, "virsh", ["list", "--all"])).to.deep.equal({ file: "virsh", args: ["list", "--all"] });
        const remote = commandOn({ kind: "ssh", user: "root", host: "dom0", port: 22, identityFile: "/k" }, "xl", ["create", "/etc/xen/a b.cfg"]);
        expect(remote.file).to.equal("ssh");
        expect(remote.args).to.include.members(["BatchMode=yes", "-i", "/k", "root@dom0", "--"]);
        expect(remote.args[remote.args.length - 1]).to.equal("xl create '/etc/xen/a b.cfg'");
    });

    it("quotes shell metacharacters, including single quotes", () => {
        expect(shellQuote("plain-arg_1.0")).to.equal("plain-arg_1.0");
        expect(shellQuote("it's $HOME")).to.equal(`'it'\\''s $HOME'`);
    });
});
