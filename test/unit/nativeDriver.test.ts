// The native platform's pure part: which mounts belong to a guest's directory, deepest first.
import { expect } from "chai";
import { mountsUnder } from "../../components/platforms/native/driver";

const MOUNTINFO = [
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
    "90 22 0:50 / /var/lib/vtb-native/vtb-s-broker/root rw shared:40 - overlay vtb-native rw",
    "91 90 0:51 / /var/lib/vtb-native/vtb-s-broker/root/proc rw - proc proc rw",
    "92 90 0:52 / /var/lib/vtb-native/vtb-s-broker/root/dev rw - tmpfs vtb-dev rw",
    "93 92 0:53 / /var/lib/vtb-native/vtb-s-broker/root/dev/pts rw - devpts vtb-pts rw",
    "94 22 0:54 / /var/lib/vtb-native/vtb-s-brokerage/root rw - overlay vtb-native rw",
].join("\n");

describe("native guest mounts", () => {
    it("lists the guest's own mounts, deepest first, and not a neighbour whose name it prefixes", () => {
        expect(mountsUnder("/var/lib/vtb-native/vtb-s-broker", MOUNTINFO)).to.deep.equal([
            "/var/lib/vtb-native/vtb-s-broker/root/dev/pts",
            "/var/lib/vtb-native/vtb-s-broker/root/proc",
            "/var/lib/vtb-native/vtb-s-broker/root/dev",
            "/var/lib/vtb-native/vtb-s-broker/root",
        ]);
        expect(mountsUnder("/var/lib/vtb-native/vtb-s-db", MOUNTINFO)).to.deep.equal([]);
    });
});
