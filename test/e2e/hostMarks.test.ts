// Ownership marks on real host objects: an interface's alias and a directory's owner file are
// written, read back, and decide what delete may remove.
import { expect } from "chai";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { claimLink, deleteLinkIfOurs, dirIsOurs, dirState, linkState, markDir, markLink } from "../../components/lib/hostMarks";
import { OwnershipError } from "../../components/lib/ownership";
import { hostNetwork } from "../../components/hostFacts";
import { sh } from "./stackRun";

const ours = "virt-testbed:0123abcd/marks";
const theirs = "virt-testbed:99999999/marks";

describe("ownership marks on the host", () => {
    const link = `vtbmk${randomBytes(3).toString("hex")}`;
    let dir = "";

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-marks-"));
    });

    after(() => {
        sh(`ip link del ${link} 2>/dev/null || true`);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("tells an absent interface from one without a mark, and reads a mark back", async () => {
        expect(await linkState(link)).to.deep.equal({ exists: false });
        sh(`ip link add ${link} type bridge`);
        expect((await linkState(link)).exists).to.equal(true);
        expect((await linkState(link)).mark).to.equal(undefined);
        await markLink(link, theirs);
        expect((await linkState(link)).mark).to.equal(theirs);
    });

    it("never deletes or reclaims an interface with another owner's mark", async () => {
        await deleteLinkIfOurs(link, ours);
        expect((await linkState(link)).exists).to.equal(true);
        let refused: unknown;
        await claimLink("bridge", link, ours).catch((e) => (refused = e));
        expect(refused).to.be.instanceOf(OwnershipError);
        expect(String(refused)).to.match(/another checkout \(id 99999999\)/);
        expect((await linkState(link)).exists).to.equal(true);
    });

    it("tells preflight which interfaces and addresses are ours", async () => {
        await markLink(link, ours);
        sh(`ip addr add 10.231.247.1/24 dev ${link}`);
        const { network, ownLinks } = hostNetwork(ours);
        expect([...ownLinks]).to.deep.equal([link]);
        expect(network.links).to.deep.include({ ifname: link, alias: ours });
        expect(network.addresses).to.deep.include({ ifname: link, cidr: "10.231.247.1/24" });
        expect(hostNetwork(theirs).ownLinks.has(link)).to.equal(false);
    });

    it("deletes an interface carrying our mark", async () => {
        await markLink(link, ours);
        await deleteLinkIfOurs(link, ours);
        expect(await linkState(link)).to.deep.equal({ exists: false });
    });

    it("marks a directory with its owner file", () => {
        const guest = path.join(dir, "guest");
        expect(dirState(guest)).to.deep.equal({ exists: false });
        fs.mkdirSync(guest);
        expect(dirState(guest)).to.deep.equal({ exists: true, mark: undefined });
        markDir(guest, ours);
        expect(dirIsOurs(guest, ours)).to.equal(true);
        expect(dirIsOurs(guest, theirs)).to.equal(false);
    });
});
