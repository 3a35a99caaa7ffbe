import { startControlPlane, type ControlPlaneHandle } from "../../control-plane/src/main";
import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { mockPortFromEnv, startMockProvider } from "../../mock-provider/src/main";
import type { MockProviderHandle } from "../../mock-provider/src/types";
import { createAdminClient } from "../admin-client";
import { dataDirFrom } from "../admin-context";
import { EXIT_OK, parse, withUsage, type Command } from "../command";
import { devBanner } from "../dev/banner";
import { resolveDevSecrets } from "../dev/secrets";
import { seedDevData } from "../dev/seed";
import type { CliIo } from "../io";
import { reportStartupError, shutdownDeadline, waitForShutdown } from "../shutdown";
const SIDECAR_DRAIN_MS = 10_000;

const READY_TIMEOUT_MS = 20_000;

const usage = [
  "Usage: sidegate dev [--data-dir DIR]",
  "",
  "Run the mock provider, the control plane and a sidecar in one process (this is `npm start`).",
  "Missing secrets are generated once and kept in the data dir (mode 0600): master.key, admin-token,",
  "sidecar-token, demo-key. The demo team/key, the mock deployment and the `mock-echo` route are seeded",
  "through the admin API; with OPENAI_API_KEY set, OpenAI routes too (OPENAI_BASE_URL overrides the URL).",
  "",
  "  --data-dir DIR   default $SIDEGATE_DATA_DIR or ./.sidegate",
  "",
  "Environment: SIDEGATE_PORT, SIDEGATE_CP_GRPC, SIDEGATE_CP_HTTP, SIDEGATE_MOCK_PORT, SIDEGATE_ADMIN_TOKEN,",
  "SIDEGATE_DEMO_KEY, SIDEGATE_LOG_LEVEL, ... (see README).",
].join("\n");

export const devCommand: Command = {
  name: "dev",
  summary: "run everything locally with a mock provider (npm start)",
  usage,
  longRunning: true,
  run: (argv, io) =>
    withUsage(devCommand, io, async () => {
      const args = parse(argv, { "data-dir": { type: "string" } }, 0);
      if (args.values.help) return io.stdout(`${usage}\n`), EXIT_OK;
      return runDev(dataDirFrom(args.values, io.env), io);
    }),
};

async function runDev(dataDir: string, io: CliIo): Promise<number> {
  const env = io.env;
  const shutdown = waitForShutdown(io);
  let mock: MockProviderHandle | undefined;
  let cp: ControlPlaneHandle | undefined;
  let sidecar: SidecarHandle | undefined;
  const stopAll = async (): Promise<void> => {
    // Sidecar first (drain, flush usage to the still-running control plane), then control plane, then mock.
    await sidecar?.close({ deadlineMs: SIDECAR_DRAIN_MS });
    await cp?.close();
    await mock?.close();
  };
  try {
    const secrets = resolveDevSecrets(dataDir, env);
    mock = await startMockProvider({ host: "127.0.0.1", port: mockPortFromEnv(env) });
    cp = await startControlPlane(loadControlPlaneConfig({ ...env, ...secrets.cpEnv }));
    const admin = createAdminClient({ baseUrl: cp.httpUrl, token: secrets.adminToken });
    const openaiKey = env.OPENAI_API_KEY?.trim();
    const seeded = await seedDevData(admin, {
      mockBaseUrl: mock.baseUrl,
      demoKey: secrets.demoKey,
      ...(openaiKey ? { openai: { apiKey: openaiKey, baseUrl: env.OPENAI_BASE_URL || "https://api.openai.com/v1" } } : {}),
    });
    sidecar = await startSidecar(loadSidecarConfig({ ...env, ...secrets.sidecarEnv, SIDEGATE_CP_GRPC: cp.grpcAddress }));
    await sidecar.waitReady(READY_TIMEOUT_MS);
    io.stdout(
      devBanner({
        sidecarUrl: sidecar.url,
        adminUrl: cp.httpUrl,
        mockUrl: mock.url,
        demoKey: secrets.demoKey,
        adminTokenSource: secrets.adminTokenSource,
        dataDir,
        models: seeded.models,
      }),
    );
  } catch (err) {
    shutdown.dispose();
    const code = reportStartupError(io, err);
    await stopAll().catch(() => undefined);
    return code;
  }
  await shutdown.signal;
  const cancel = shutdownDeadline(io, SIDECAR_DRAIN_MS + 20_000);
  try {
    await stopAll();
    return EXIT_OK;
  } catch (err) {
    return reportStartupError(io, err);
  } finally {
    cancel();
    shutdown.dispose();
  }
}
