/**
 * Request plumbing shared by the vendor mocks that run on node:http (Anthropic, Gemini/Vertex, Bedrock,
 * Azure, Cohere): header flattening, body reading, delays, and listening on 127.0.0.1 with an idempotent close.
 */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What a mock saw of the last request it served, for tests to assert on. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; null without a body. */
  body: unknown;
}

export interface VendorMockHandle {
  port: number;
  url: string;
  close(): Promise<void>;
  lastRequest(): RecordedRequest | null;
  /** Requests received per path (query string excluded) since start or the last reset. */
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Request headers as one string per name (repeated headers joined with ", "). */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** The whole body, or null once it exceeds `maxBytes` (the rest is read and discarded). */
export function readBodyWithin(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) parts.push(c);
    });
    req.on("end", () => resolve(size > maxBytes ? null : Buffer.concat(parts)));
    req.on("error", reject);
  });
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  return (await readBodyWithin(req, Number.POSITIVE_INFINITY)) ?? Buffer.alloc(0);
}

export async function readText(req: IncomingMessage): Promise<string> {
  return (await readBody(req)).toString("utf8");
}

/** Listens on 127.0.0.1 (port 0 = ephemeral) and returns the handle every vendor mock exposes. */
export async function listenMock(server: Server, port: number | undefined, lastRequest: () => RecordedRequest | null): Promise<VendorMockHandle> {
  let counts: Record<string, number> = {};
  server.prependListener("request", (req: IncomingMessage) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    counts[path] = (counts[path] ?? 0) + 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port ?? 0, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    lastRequest,
    requestCounts: () => ({ ...counts }),
    resetRequestCounts: () => {
      counts = {};
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
