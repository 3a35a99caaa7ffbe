import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadControlPlaneConfig } from "../config/load";
import { startControlPlane, type ControlPlaneHandle } from "../main";
import { createLogger } from "../telemetry/logger";

/** Test-only: a real control plane on port 0 in a temp dir, with its logs captured in memory. */
export interface TestControlPlane {
  readonly cp: ControlPlaneHandle;
  readonly adminToken: string;
  readonly sidecarToken: string;
  readonly dataDir: string;
  logs(): string;
  /** One admin call; `token: null` sends no Authorization header. */
  admin(method: string, path: string, body?: unknown, opts?: { token?: string | null; contentType?: string; raw?: string | Buffer }): Promise<{
    status: number;
    body: unknown;
    headers: Headers;
  }>;
  close(): Promise<void>;
}

export async function startTestControlPlane(): Promise<TestControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-cp-test-"));
  const adminToken = "adm-" + randomBytes(18).toString("base64url");
  const sidecarToken = "sct-" + randomBytes(18).toString("base64url");
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, cb): void {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const config = loadControlPlaneConfig({
    SIDEGATE_DATA_DIR: dataDir,
    SIDEGATE_CP_GRPC: "127.0.0.1:0",
    SIDEGATE_CP_HTTP: "127.0.0.1:0",
    SIDEGATE_ADMIN_TOKEN: adminToken,
    SIDEGATE_SIDECAR_TOKEN: sidecarToken,
    SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64"),
  });
  const cp = await startControlPlane(config, { logger: createLogger("trace", sink), closeDeadlineMs: 1000 });
  return {
    cp,
    adminToken,
    sidecarToken,
    dataDir,
    logs: () => chunks.join(""),
    admin: async (method, path, body, opts = {}) => {
      const headers: Record<string, string> = {};
      const token = opts.token === undefined ? adminToken : opts.token;
      if (token !== null) headers["authorization"] = `Bearer ${token}`;
      const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      if (payload !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
      const res = await fetch(cp.httpUrl + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: async () => {
      await cp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
