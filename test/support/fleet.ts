import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../bench/lib/net";
import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startControlPlane, type ControlPlaneHandle } from "../../control-plane/src/main";
import { startMockProvider, type MockProviderHandle } from "../../mock-provider/src/server";
import { AdminClient } from "./admin";
import { captureLogs } from "./log-capture";
import { spawnSidecar, type SidecarProcess } from "./sidecar-process";

/**
 * One control plane (in this process, on fixed ports so it can be restarted), the mock provider, and N
 * real sidecar processes started with the CLI. Model `gpt-4o` (priced by the default catalog) and
 * `mock-echo` are routed to the mock.
 */
export interface Fleet {
  cp: ControlPlaneHandle;
  admin: AdminClient;
  mock: MockProviderHandle;
  sidecars: SidecarProcess[];
  /** Starts one more sidecar (a scale-out), ready when this resolves; `close` stops it too. */
  addSidecar(id: string): Promise<SidecarProcess>;
  restartControlPlane(): Promise<void>;
  close(): Promise<void>;
}

export async function startFleet(n: number, opts: { cpEnv?: Record<string, string>; sidecarEnv?: Record<string, string> } = {}): Promise<Fleet> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-fleet-"));
  const adminToken = "adm-" + randomBytes(18).toString("base64url");
  const sidecarToken = "sct-" + randomBytes(18).toString("base64url");
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const env = {
    SIDEGATE_DATA_DIR: dataDir,
    SIDEGATE_CP_GRPC: `127.0.0.1:${grpcPort}`,
    SIDEGATE_CP_HTTP: `127.0.0.1:${httpPort}`,
    SIDEGATE_ADMIN_TOKEN: adminToken,
    SIDEGATE_SIDECAR_TOKEN: sidecarToken,
    SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64"),
    ...opts.cpEnv,
  };
  const start = (): Promise<ControlPlaneHandle> =>
    startControlPlane(loadControlPlaneConfig(env), { logger: captureLogs("warn").logger, closeDeadlineMs: 1000 });
  const mock = await startMockProvider({ port: 0 });
  let cp = await start();
  const admin = new AdminClient(cp.httpUrl, adminToken);
  await admin.ok("PUT", "/api/v1/providers/mock-cred", { provider: "openai", secrets: { api_key: "sk-upstream-fleet-0123456789" } });
  await admin.ok("PUT", "/api/v1/deployments/mock", { provider: "openai", base_url: mock.baseUrl, credential_id: "mock-cred" });
  await admin.ok("PUT", "/api/v1/routes/mock-echo", { targets: [{ deployment_id: "mock" }] });
  await admin.ok("PUT", "/api/v1/routes/gpt-4o", { targets: [{ deployment_id: "mock" }] });
  const spawn = (id: string): Promise<SidecarProcess> =>
    spawnSidecar(id, {
      SIDEGATE_CP_GRPC: `127.0.0.1:${grpcPort}`,
      SIDEGATE_SIDECAR_TOKEN: sidecarToken,
      SIDEGATE_USAGE_FLUSH_MS: "50",
      ...opts.sidecarEnv,
    });
  const sidecars = await Promise.all(Array.from({ length: n }, (_, i) => spawn(`fleet-${i + 1}`)));
  const fleet: Fleet = {
    cp,
    admin,
    mock,
    sidecars,
    async addSidecar(id) {
      const sc = await spawn(id);
      sidecars.push(sc);
      return sc;
    },
    async restartControlPlane() {
      await cp.close();
      cp = await start();
      fleet.cp = cp;
    },
    async close() {
      await Promise.all(sidecars.map((s) => s.stop()));
      await cp.close();
      await mock.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fleet;
}
