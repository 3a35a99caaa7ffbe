import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startControlPlane, type ControlPlaneHandle } from "../../control-plane/src/main";
import { loadControlPlaneConfig, type ControlPlaneConfig } from "../../control-plane/src/config/load";
import { startSidecar, type SidecarHandle } from "../../sidecar/src/main";
import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startMockProvider, type MockProviderHandle } from "../../mock-provider/src/server";
import { AdminClient } from "./admin";
import { captureLogs, type LogCapture } from "./log-capture";
import { seedMockRoute, TEST_PROVIDER_KEY } from "./seed";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

/** Everything a test needs: a mock provider, a real control plane, N real sidecars, all on loopback. */
export interface Stack {
  mock: MockProviderHandle;
  cp: ControlPlaneHandle;
  /** The control plane's parsed configuration (to start another one on the same data dir). */
  cpConfig: ControlPlaneConfig;
  sidecars: SidecarHandle[];
  sidecar: SidecarHandle;
  admin: AdminClient;
  /** Present when the stack was started with `proxyControlPlane`: sits between sidecars and the CP's gRPC port. */
  grpcProxy: TcpProxy | undefined;
  adminToken: string;
  sidecarToken: string;
  demoKey: string;
  cpLogs: LogCapture;
  sidecarLogs: LogCapture;
  dataDir: string;
  startSidecar(extraEnv?: Record<string, string>): Promise<SidecarHandle>;
  close(): Promise<void>;
}

export interface StackOptions {
  sidecars?: number;
  proxyControlPlane?: boolean;
  sidecarEnv?: Record<string, string>;
  /** Extra control-plane environment (e.g. SIDEGATE_CP_HTTP_REQUEST_TIMEOUT_MS, SIDEGATE_BOOTSTRAP_FILE, SIDEGATE_LEASE_TTL_MS). */
  cpEnv?: Record<string, string>;
  mock?: Parameters<typeof startMockProvider>[0];
  /** Log level of both binaries' captured logs (default debug, so leak tests see everything). */
  logLevel?: "debug" | "info" | "warn" | "silent";
}

export { TEST_PROVIDER_KEY };

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-test-"));
  const adminToken = "adm-" + randomBytes(18).toString("base64url");
  const sidecarToken = "sct-" + randomBytes(18).toString("base64url");
  const logLevel = options.logLevel ?? "debug";
  const cpLogs = captureLogs(logLevel);
  const sidecarLogs = captureLogs(logLevel);
  const mock = await startMockProvider({ port: 0, ...options.mock });
  const cpConfig = loadControlPlaneConfig({
    SIDEGATE_DATA_DIR: dataDir,
    SIDEGATE_CP_GRPC: "127.0.0.1:0",
    SIDEGATE_CP_HTTP: "127.0.0.1:0",
    SIDEGATE_ADMIN_TOKEN: adminToken,
    SIDEGATE_SIDECAR_TOKEN: sidecarToken,
    SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64"),
    SIDEGATE_LOG_LEVEL: logLevel,
    ...options.cpEnv,
  });
  const cp = await startControlPlane(cpConfig, { logger: cpLogs.logger });
  const admin = new AdminClient(cp.httpUrl, adminToken);
  const grpcProxy = options.proxyControlPlane ? await startTcpProxy(cp.grpcPort) : undefined;
  const grpcTarget = `127.0.0.1:${grpcProxy ? grpcProxy.port : cp.grpcPort}`;

  const demoKey = await seedMockRoute(admin, mock.baseUrl);

  const sidecars: SidecarHandle[] = [];
  const launch = async (extraEnv: Record<string, string> = {}): Promise<SidecarHandle> => {
    const config = loadSidecarConfig({
      SIDEGATE_PORT: "0",
      SIDEGATE_HOST: "127.0.0.1",
      SIDEGATE_CP_GRPC: grpcTarget,
      SIDEGATE_SIDECAR_TOKEN: sidecarToken,
      SIDEGATE_SIDECAR_ID: `test-sidecar-${sidecars.length + 1}`,
      SIDEGATE_METRICS_PORT: "0",
      SIDEGATE_USAGE_FLUSH_MS: "20",
      SIDEGATE_LOG_LEVEL: logLevel,
      ...options.sidecarEnv,
      ...extraEnv,
    });
    const sc = await startSidecar(config, { logger: sidecarLogs.logger });
    await sc.waitReady(5000);
    sidecars.push(sc);
    return sc;
  };
  for (let i = 0; i < (options.sidecars ?? 1); i += 1) await launch();
  const first = sidecars[0];
  if (first === undefined) throw new Error("stack needs at least one sidecar");

  return {
    mock,
    cp,
    cpConfig,
    sidecars,
    sidecar: first,
    admin,
    grpcProxy,
    adminToken,
    sidecarToken,
    demoKey,
    cpLogs,
    sidecarLogs,
    dataDir,
    startSidecar: launch,
    close: async () => {
      for (const sc of sidecars) await sc.close({ deadlineMs: 2000 });
      await grpcProxy?.close();
      await cp.close();
      await mock.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
