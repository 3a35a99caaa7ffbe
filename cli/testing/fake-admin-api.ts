import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeReply {
  status: number;
  body?: unknown;
}

export type FakeHandler = (req: RecordedRequest) => FakeReply;

export interface FakeAdminApi {
  url: string;
  requests: RecordedRequest[];
  setHandler(h: FakeHandler): void;
  close(): Promise<void>;
}

/** A tiny node:http stand-in for the control plane's admin API: records requests, answers via a handler. */
export async function startFakeAdminApi(handler: FakeHandler = () => ({ status: 200, body: { data: [] } })): Promise<FakeAdminApi> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const text = Buffer.concat(parts).toString("utf8");
      const rec: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(rec);
      const reply = current(rec);
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => (current = h),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function apiError(status: number, code: string, message: string, details: Array<{ path: string; message: string }> = []): FakeReply {
  return { status, body: { error: { code, message, details } } };
}
