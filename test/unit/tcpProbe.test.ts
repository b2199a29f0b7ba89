import { expect } from "chai";
import * as net from "net";
import { tcpProbe } from "../../components/lib/ssh";

describe("TCP probe", () => {
    it("tells an open port from a refused one (loopback only)", async () => {
        const server = net.createServer((s) => s.destroy());
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const port = (server.address() as net.AddressInfo).port;
        try {
            expect(await tcpProbe("127.0.0.1", port)).to.equal("open");
        } finally {
            await new Promise((r) => server.close(r));
        }
        expect(await tcpProbe("127.0.0.1", port)).to.equal("closed");
    });
});
