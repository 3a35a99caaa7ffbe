import { startMockProvider } from "./server";

export { startMockProvider };

/** Parse SIDEGATE_MOCK_PORT (default 4010); throws with a readable message on garbage. */
export function mockPortFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.SIDEGATE_MOCK_PORT;
  if (raw === undefined || raw === "") return 4010;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new Error(`SIDEGATE_MOCK_PORT: expected a port number 0-65535, got "${raw}"`);
  return n;
}
