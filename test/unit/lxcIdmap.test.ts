// Unprivileged lxc: the id range others hold, the owner shift of a base copy (on real files), the
// settings and the refusal before anything is provisioned.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ID_BASE, idRangeConflicts, shiftedRootfs, shiftOwners } from "../../components/platforms/lxc/idmap";
import { checkUnprivileged, lxcPlatform } from "../../components/platforms/lxc";

describe("unprivileged lxc", () => {
    it("finds the subordinate ranges that overlap the containers' ids, and only those", () => {
        const text = "# comment\nalice:100000:65536\nbob:1065535:10\ncarol:2000000:65536\ndave:900000:100001\n";
        expect(idRangeConflicts(text, "/etc/subuid")).to.deep.equal(["/etc/subuid: bob:1065535:10", "/etc/subuid: dave:900000:100001"]);
        expect(idRangeConflicts("", "/etc/subgid")).to.deep.equal([]);
    });

    it("shifts every owner by the range's base and keeps set-id bits, symlinks included", function () {
        if (process.getuid!() !== 0) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-idmap-"));
        try {
            fs.mkdirSync(path.join(dir, "bin"));
            fs.writeFileSync(path.join(dir, "bin", "su"), "x");
            fs.chmodSync(path.join(dir, "bin", "su"), 0o4755);
            fs.writeFileSync(path.join(dir, "owned"), "y");
            fs.chownSync(path.join(dir, "owned"), 105, 110);
            fs.symlinkSync("owned", path.join(dir, "link"));
            fs.linkSync(path.join(dir, "owned"), path.join(dir, "hardlink"));
            shiftOwners(dir, ID_BASE);
            const st = (p: string) => fs.lstatSync(path.join(dir, p));
            expect([st("bin/su").uid, st("bin/su").gid, st("bin/su").mode & 0o7777]).to.deep.equal([ID_BASE, ID_BASE, 0o4755]);
            expect([st("owned").uid, st("owned").gid]).to.deep.equal([ID_BASE + 105, ID_BASE + 110]);
            expect(st("hardlink").uid, "a hard-linked file is shifted once").to.equal(ID_BASE + 105);
            expect(st("link").uid).to.equal(ID_BASE);
            expect(st("").uid).to.equal(ID_BASE);
            // A file already outside the range is a base that was shifted before: refused, not shifted twice.
            expect(() => shiftOwners(dir, ID_BASE)).to.throw(/outside the containers' id range/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("makes the shifted copy once, by the image's hash, and leaves the base as it was", async function () {
        if (process.getuid!() !== 0) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-idmap-"));
        try {
            const base = path.join(dir, "cache", "images", "abc123", "rootfs");
            const derived = path.join(dir, "derived");
            fs.mkdirSync(path.join(base, "etc"), { recursive: true });
            fs.writeFileSync(path.join(base, "etc", "hostname"), "base\n");
            const target = path.join(derived, "abc123", `rootfs-idmap-${ID_BASE}`);
            // A lock left by a builder that died is taken over; creates that start together share one build.
            fs.mkdirSync(`${target}.lock`, { recursive: true });
            fs.writeFileSync(`${target}.lock/pid`, "999999999");
            const [copy, ...others] = await Promise.all([shiftedRootfs(base, derived), shiftedRootfs(base, derived), shiftedRootfs(base, derived)]);
            expect(others).to.deep.equal([copy, copy]);
            expect(copy).to.equal(target);
            expect(fs.statSync(path.join(copy, "etc", "hostname")).uid).to.equal(ID_BASE);
            expect(fs.statSync(path.join(base, "etc", "hostname")).uid).to.equal(0);
            fs.writeFileSync(path.join(copy, "marker"), "");
            expect(await shiftedRootfs(base, derived)).to.equal(copy);
            expect(fs.existsSync(path.join(copy, "marker")), "not rebuilt").to.equal(true);
            expect(fs.readdirSync(path.join(derived, "abc123"))).to.deep.equal([`rootfs-idmap-${ID_BASE}`]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses, before anything is made, a host without user namespaces or whose files give the range to someone", () => {
        const fine = { maxUserNamespaces: "96364\n", subuid: "alice:100000:65536\n", subgid: "" };
        expect(() => checkUnprivileged(fine)).not.to.throw();
        expect(() => checkUnprivileged({ ...fine, maxUserNamespaces: "0\n" })).to.throw(/lxc.privileged: this machine's kernel allows no user namespaces/);
        expect(() => checkUnprivileged({ ...fine, subgid: "bob:1000000:65536\n" })).to.throw(
            /lxc.privileged: the containers' host ids 1000000-1065535 are already given to others \(\/etc\/subgid: bob:1000000:65536\)/,
        );
    });

    it("runs unprivileged with a task limit unless asked, and refuses a bad setting", () => {
        expect(lxcPlatform.parseSettings({})).to.deep.equal({ privileged: false, pidsMax: 4096 });
        expect(lxcPlatform.parseSettings({ privileged: true, pidsMax: 100 })).to.deep.equal({ privileged: true, pidsMax: 100 });
        expect(() => lxcPlatform.parseSettings({ privileged: "yes" })).to.throw(/lxc.privileged/);
        expect(() => lxcPlatform.parseSettings({ pidsMax: 1 })).to.throw(/lxc.pidsMax/);
        expect(() => lxcPlatform.parseSettings({ idmap: 1 })).to.throw(/idmap/);
    });
});
