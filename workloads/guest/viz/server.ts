// Visualization front end: a live dashboard page and the JSON query API it reads.
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.PG_URL, max: 4 });
const PORT = Number(process.env.PORT || 8080);
const DASHBOARD = fs.readFileSync(path.join(__dirname, "dashboard.html"));

// Each station's latest reading per sensor among its last 500, read through the (station, time)
// index: the cost stays flat as the table grows (sorting the whole table did not).
const LATEST = `SELECT l.* FROM generate_series(0, (SELECT coalesce(max(station_id), -1) FROM observations)) AS s(id),
LATERAL (SELECT DISTINCT ON (sensor_id) station_id AS station, sensor_id AS sensor, value, unit, observed_at
  FROM (SELECT * FROM observations WHERE station_id = s.id ORDER BY observed_at DESC LIMIT 500) recent
  ORDER BY sensor_id, observed_at DESC) l`;
const SERIES = `SELECT sensor_id AS sensor, value, unit, observed_at FROM observations
WHERE station_id = $1 ORDER BY observed_at DESC LIMIT $2`;

function json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url || "/", "http://dashboard");
    if (url.pathname === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(DASHBOARD);
    } else if (url.pathname === "/healthz") {
        await pool.query("SELECT 1");
        json(res, 200, { ok: true });
    } else if (url.pathname === "/api/latest") {
        json(res, 200, (await pool.query(LATEST)).rows);
    } else if (/^\/api\/stations\/\d+\/series$/.test(url.pathname)) {
        const station = Number(url.pathname.split("/")[3]);
        const limit = Math.min(Number(url.searchParams.get("limit") || 200), 5000);
        json(res, 200, (await pool.query(SERIES, [station, limit])).rows);
    } else {
        json(res, 404, { error: "not found" });
    }
}

http.createServer((req, res) => {
    handle(req, res).catch((err) => json(res, 500, { error: String(err) }));
}).listen(PORT, () => console.log(`dashboard on :${PORT}`));
