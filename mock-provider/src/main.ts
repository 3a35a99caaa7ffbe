import { startMockProvider } from "./server";
import type { MockProviderHandle } from "./types";

export { startMockProvider };

export interface RunMockOptions {
  /** Where to print the one-line "listening" notice (default: process.stdout). */
  out?: NodeJS.WritableStream;
}

/** Parse SIDEGATE_MOCK_PORT (default 4010); throws with a readable message on garbage. */
export function mockPortFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.SIDEGATE_MOCK_PORT;
  if (raw === undefined || raw === "") return 4010;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new Error(`SIDEGATE_MOCK_PORT: expected a port number 0-65535, got "${raw}"`);
  return n;
}

/** CLI entry: start on 127.0.0.1:SIDEGATE_MOCK_PORT and stop on SIGINT/SIGTERM. Resolves once stopped. */
export async function runMockProvider(env: NodeJS.ProcessEnv, o: RunMockOptions = {}): Promise<void> {
  const out = o.out ?? process.stdout;
  const handle: MockProviderHandle = await startMockProvider({ host: "127.0.0.1", port: mockPortFromEnv(env) });
  out.write(`sidegate mock provider listening on ${handle.baseUrl}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void handle.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
