/**
 * The floor: uWebSockets.js + one undici Pool, forwarding POST bodies to BENCH_UPSTREAM and answering with
 * the upstream's status, content type and bytes (event streams chunk by chunk). No auth, parsing,
 * routing, accounting or backpressure: what any proxy on this stack costs at least. Prints its port.
 */
import { App, us_socket_local_port, type HttpResponse } from "uWebSockets.js";
import { Pool, type Dispatcher } from "undici";

const upstream = new Pool(process.env.BENCH_UPSTREAM ?? "http://127.0.0.1:4010", { connections: 512, pipelining: 1 });
const JSON_HEADERS = { "content-type": "application/json" };

function forward(res: HttpResponse, path: string, body: Buffer, state: { aborted: boolean; ctl?: Dispatcher.DispatchController }): void {
  let stream = false;
  const parts: Buffer[] = [];
  upstream.dispatch({ method: "POST", path, headers: JSON_HEADERS, body }, {
    onRequestStart: (ctl) => void (state.ctl = ctl),
    onResponseStart: (_c, status, headers) => {
      const type = String(headers["content-type"] ?? "application/json");
      stream = type.startsWith("text/event-stream");
      if (state.aborted) return;
      res.cork(() => res.writeStatus(status === 200 ? "200 OK" : `${status} Upstream`).writeHeader("content-type", type));
    },
    onResponseData: (_c, chunk) => {
      if (!stream) parts.push(chunk);
      else if (!state.aborted) res.cork(() => res.write(chunk));
    },
    onResponseEnd: () => void (state.aborted || res.cork(() => res.end(stream ? undefined : Buffer.concat(parts)))),
    onResponseError: () => void (state.aborted || res.cork(() => res.writeStatus("502 Bad Gateway").end())),
  });
}

App()
  .post("/*", (res, req) => {
    const path = req.getUrl();
    const state: { aborted: boolean; ctl?: Dispatcher.DispatchController } = { aborted: false };
    res.onAborted(() => ((state.aborted = true), state.ctl?.abort(new Error("client gone"))));
    const chunks: Buffer[] = [];
    res.onData((ab, last) => {
      chunks.push(Buffer.from(new Uint8Array(ab).slice()));
      if (last) forward(res, path, Buffer.concat(chunks), state);
    });
  })
  .listen("127.0.0.1", Number(process.env.BENCH_PORT ?? 0), (s) => {
    if (s === false) process.exit(1);
    process.stdout.write(`bare-uws listening ${us_socket_local_port(s)}\n`);
  });
process.on("SIGTERM", () => process.exit(0));
