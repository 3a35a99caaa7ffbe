/**
 * The benchmark's upstream: the built-in OpenAI-compatible mock in its own process, every completion
 * exactly BENCH_MOCK_WORDS words (20: a ~570-byte JSON answer, or 20 content chunks when streamed).
 * Latency and chunk delay come per request from `[mock:latency=MS]` / `[mock:chunk-delay=MS]` in the
 * prompt, so every proxy forwards them unchanged. Prints its port.
 */
import { startMockProvider } from "../../mock-provider/src/server";

async function main(): Promise<void> {
  const mock = await startMockProvider({
    host: "127.0.0.1",
    port: Number(process.env.BENCH_PORT ?? 0),
    chunks: Number(process.env.BENCH_MOCK_WORDS ?? 20),
  });
  process.stdout.write(`mock-upstream listening ${mock.port}\n`);
  process.on("SIGTERM", () => {
    void mock.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
