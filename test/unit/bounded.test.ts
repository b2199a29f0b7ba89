// The bounded waits of a load run: a promise that never settles fails with the reason; a close
// that fails is ignored.
import { expect } from "chai";
import type * as amqp from "amqplib";
import { closeQuietly, withTimeout } from "../../workloads/harness/sensors/bounded";

describe("bounded waits", () => {
    it("passes a result through, and fails a wait that never ends with its reason", async () => {
        expect(await withTimeout(Promise.resolve(7), 1000, "never")).to.equal(7);
        const hung = new Promise<number>(() => undefined);
        const err = await withTimeout(hung, 20, "the broker confirmed nothing").then(
            () => undefined,
            (e: Error) => e.message,
        );
        expect(err).to.equal("the broker confirmed nothing");
    });

    it("ignores a close that fails, and an absent connection", async () => {
        const failing = { close: () => Promise.reject(new Error("connection already closed")) } as unknown as amqp.ChannelModel;
        await closeQuietly(failing);
        await closeQuietly(undefined);
    });
});
