// Cached base images: a stack registers as a user; a superseded image nobody uses is pruned, the
// current one and any image with a user are kept.
import { expect } from "chai";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { addUser, pruneUnused, removeUser } from "../../components/image/cache";

function fakeImage(cache: string): string {
    const rootfs = path.join(cache, `t${randomBytes(7).toString("hex")}`, "rootfs");
    fs.mkdirSync(path.join(rootfs, "etc"), { recursive: true });
    fs.writeFileSync(path.join(rootfs, "etc", "virt-testbed-image"), "virt-testbed test\n");
    return rootfs;
}

/** No guest of any platform uses the fake images; nothing was derived from them. */
const noGuests = { usesImage: async () => false, forgetImage: () => undefined };

describe("base image cache", () => {
    let cache = "";

    before(() => {
        cache = fs.mkdtempSync(path.join(os.tmpdir(), "vtb-images-"));
    });

    after(() => fs.rmSync(cache, { recursive: true, force: true }));

    it("prunes superseded images no stack uses, keeps the current one and those with users", async () => {
        const current = fakeImage(cache);
        const used = fakeImage(cache);
        const unused = fakeImage(cache);
        fs.mkdirSync(path.join(cache, ".build-partial"));
        addUser(used, "virt-testbed:0123abcd/lxc");
        const removed = await pruneUnused(cache, path.dirname(current), noGuests);
        expect(removed).to.deep.equal([path.basename(path.dirname(unused))]);
        expect(fs.existsSync(current)).to.equal(true);
        expect(fs.existsSync(used)).to.equal(true);
        expect(fs.existsSync(path.join(cache, ".build-partial"))).to.equal(true);

        removeUser(used, "virt-testbed:0123abcd/lxc");
        expect(await pruneUnused(cache, path.dirname(current), noGuests)).to.deep.equal([path.basename(path.dirname(used))]);
    });

    it("keeps an image a platform's guest still uses, and lets the platforms forget what they derived from a pruned one", async () => {
        const own = fs.mkdtempSync(path.join(cache, ".guests-"));
        const current = fakeImage(own);
        const inGuest = fakeImage(own);
        const forgotten: string[] = [];
        const guests = { usesImage: async (dir: string) => dir === path.dirname(inGuest), forgetImage: (hash: string) => void forgotten.push(hash) };
        expect(await pruneUnused(own, path.dirname(current), guests)).to.deep.equal([]);
        expect(fs.existsSync(inGuest)).to.equal(true);
        const none = { ...guests, usesImage: async () => false };
        expect(await pruneUnused(own, path.dirname(current), none)).to.deep.equal([path.basename(path.dirname(inGuest))]);
        expect(forgotten).to.deep.equal([path.basename(path.dirname(inGuest))]);
    });
});
