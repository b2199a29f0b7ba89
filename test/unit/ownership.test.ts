import { expect } from "chai";
import { claim, describeOwner, isOurs, ownerMark, OwnershipError, parseMark } from "../../components/lib/ownership";

const ours = ownerMark({ checkout: "0123abcd", stack: "lxc" });

describe("ownership marks", () => {
    it("names the checkout and the stack, and reads back", () => {
        expect(ours).to.equal("virt-testbed:0123abcd/lxc");
        expect(parseMark(ours)).to.deep.equal({ checkout: "0123abcd", stack: "lxc" });
        expect(parseMark("eth0 uplink")).to.equal(undefined);
        expect(parseMark(undefined)).to.equal(undefined);
    });

    it("creates a free name and reclaims only our own leftover", () => {
        expect(claim("bridge", "vtb-lxc", { exists: false }, ours)).to.equal("create");
        expect(claim("bridge", "vtb-lxc", { exists: true, mark: `${ours}\n` }, ours)).to.equal("reclaim");
    });

    it("refuses an object without our mark, naming it and its owner", () => {
        expect(() => claim("bridge", "eth0", { exists: true }, ours)).to.throw(
            OwnershipError,
            /bridge eth0 already exists and it was not made by virt-testbed/,
        );
        expect(() => claim("container", "vtb-lxc-broker", { exists: true, mark: "virt-testbed:0123abcd/other" }, ours)).to.throw(
            /belongs to stack 'other' of this checkout/,
        );
        expect(() => claim("domain", "vtb-lxc-broker", { exists: true, mark: "virt-testbed:99999999/lxc" }, ours)).to.throw(
            /belongs to stack 'lxc' of another checkout \(id 99999999\).*never changes or deletes/,
        );
    });

    it("treats another checkout's stack of the same name as not ours", () => {
        expect(isOurs("virt-testbed:99999999/lxc", ours)).to.equal(false);
        expect(isOurs(undefined, ours)).to.equal(false);
        expect(isOurs(ours, ours)).to.equal(true);
        expect(describeOwner("virt-testbed:99999999/lxc", ours)).to.match(/another checkout/);
    });
});
