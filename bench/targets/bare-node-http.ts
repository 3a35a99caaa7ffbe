/**
 * A second floor: node:http + one undici Pool, the same pass-through as bare-uws.ts (status, content type,
 * bytes; event streams chunk by chunk; no features). Prints its port.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool, type Dispatcher } from "undici";

const upstream = new Pool(process.env.BENCH_UPSTREAM ?? "http://127.0.0.1:4010", { connections: 512, pipelining: 1 });
const JSON_HEADERS = { "content-type": "application/json" };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  let ctl: Dispatcher.DispatchController | null = null;
  let finished = false;
  res.on("close", () => void (finished || ctl?.abort(new Error("client gone"))));
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let stream = false;
    const parts: Buffer[] = [];
    upstream.dispatch({ method: "POST", path: req.url ?? "/", headers: JSON_HEADERS, body: Buffer.concat(chunks) }, {
      onRequestStart: (c) => void (ctl = c),
      onResponseStart: (_c, status, headers) => {
        const type = String(headers["content-type"] ?? "application/json");
        stream = type.startsWith("text/event-stream");
        res.statusCode = status;
        res.setHeader("content-type", type);
      },
      onResponseData: (_c, chunk) => void (stream ? res.write(chunk) : parts.push(chunk)),
      onResponseEnd: () => ((finished = true), res.end(stream ? undefined : Buffer.concat(parts))),
      onResponseError: () => ((finished = true), res.headersSent || (res.statusCode = 502), res.end()),
    });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.BENCH_PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`bare-node-http listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
