/** Test-only OpenAI-wire-format upstream on node:http. Behaviour is chosen by the `model` field. */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

export const USAGE = { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 };

function chunk(model: string, delta: object, finish: string | null): string {
  const body = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] };
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** The exact SSE the upstream sends for a stream request (with or without the usage chunk). */
export function expectedStream(model: string, includeUsage: boolean): string {
  let out = chunk(model, { role: "assistant", content: "" }, null);
  out += chunk(model, { content: "Hel" }, null) + chunk(model, { content: "lo" }, null) + chunk(model, {}, "stop");
  if (includeUsage) {
    out += `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [], usage: USAGE })}\n\n`;
  }
  return `${out}data: [DONE]\n\n`;
}

export class FakeUpstream {
  readonly seen: SeenRequest[] = [];
  /** Resolves per endless-stream request when its client socket closed. */
  endlessClosed: Promise<void> = Promise.resolve();
  private server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => this.handle(req.headers, Buffer.concat(parts).toString("utf8"), res));
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(headers: IncomingHttpHeaders, body: string, res: ServerResponse): void {
    const json = JSON.parse(body) as Record<string, unknown>;
    this.seen.push({ headers, body, json });
    const model = String(json["model"]);
    if (model === "slow") return; // never answers
    if (model === "rate-limited") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "7" });
      res.end(JSON.stringify({ error: { message: "slow down", type: "rate_limit_error", param: null, code: "rate_limit" } }));
      return;
    }
    if (model === "html") {
      res.writeHead(500, { "content-type": "text/html" }).end("<html>oops</html>");
      return;
    }
    if (model === "endless") return this.endless(res);
    if (json["stream"] === true) {
      const options = json["stream_options"] as { include_usage?: boolean } | undefined;
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(expectedStream(model, options?.include_usage === true));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "chatcmpl-2", object: "chat.completion", created: 1, model, choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }], usage: USAGE }));
  }

  private endless(res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream" });
    this.endlessClosed = new Promise<void>((resolve) => {
      const timer = setInterval(() => res.write(chunk("endless", { content: "x" }, null)), 5);
      res.on("close", () => {
        clearInterval(timer);
        resolve();
      });
    });
  }
}
