// A VM that never answers SSH fails with the end of its console, where the reason is.
import { expect } from "chai";
import * as net from "net";
import { waitForGuestSsh } from "../../components/platforms/common/bootWait";

/** A loopback port nothing listens on: one the kernel gave a server that is closed again. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    return port;
}

describe("waiting for a VM's sshd", () => {
    it("fails with the last lines of the console when nothing answers", async () => {
        const console = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n");
        let error = "";
        await waitForGuestSsh("127.0.0.1", 0.3, async () => console, await closedPort()).catch((e) => (error = String(e)));
        expect(error).to.match(/did not accept connections within 0\.3 s; the last lines of its console:\nline 11\n/);
        expect(error).to.match(/line 40$/);
        expect(error).not.to.match(/line 10\n/);
    });

    it("says so when the console cannot be read, and returns once the port answers", async () => {
        let error = "";
        await waitForGuestSsh("127.0.0.1", 0.3, () => Promise.reject(new Error("no file")), await closedPort()).catch((e) => (error = String(e)));
        expect(error).to.match(/console:\n\(nothing\)$/);
        const server = net.createServer((s) => s.destroy());
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            await waitForGuestSsh("127.0.0.1", 5, async () => "", (server.address() as net.AddressInfo).port);
        } finally {
            server.close();
        }
    });
});
