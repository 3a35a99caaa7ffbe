/**
 * The translation scenario's upstream: the Anthropic-wire-format mock (`startAnthropicMock` from
 * mock-provider/src/anthropic/server.ts, once it exists) in its own process. Loaded by path at run time
 * so the bench builds without it. Prints its port and base URL.
 */
import { ANTHROPIC_MOCK_MODULE } from "./anthropic";

interface Handle {
  port?: number;
  url?: string;
  baseUrl?: string;
  close?: () => Promise<void>;
}

async function main(): Promise<void> {
  const mod = require(ANTHROPIC_MOCK_MODULE) as { startAnthropicMock?: (o: Record<string, unknown>) => Promise<Handle> };
  if (typeof mod.startAnthropicMock !== "function") throw new Error("startAnthropicMock is not exported");
  const handle = await mod.startAnthropicMock({ host: "127.0.0.1", port: 0, chunks: Number(process.env.BENCH_MOCK_WORDS ?? 20) });
  const url = handle.url ?? `http://127.0.0.1:${handle.port ?? 0}`;
  process.stdout.write(`anthropic-upstream listening ${url} ${handle.baseUrl ?? url}\n`);
  process.on("SIGTERM", () => {
    void (handle.close?.() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
