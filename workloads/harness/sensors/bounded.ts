// Every wait of a load run ends: a broker that stops answering fails the run with a reason, and a
// connection whose close is never answered is let go instead of holding the run.
import type * as amqp from "amqplib";

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

/** Closes an AMQP connection, waiting 10 s at most; a close that fails or hangs is ignored. */
export async function closeQuietly(conn: amqp.ChannelModel | undefined): Promise<void> {
    if (!conn) return;
    await withTimeout(conn.close(), 10_000, "close not answered").catch(() => undefined);
}
