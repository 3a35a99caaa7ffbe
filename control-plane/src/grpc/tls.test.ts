import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { METADATA_AUTHORIZATION, METADATA_SIDECAR_ID, serviceDefinition, type PolicyUpdate } from "../../../proto";
import { startControlPlane } from "../main";
import { createLogger } from "../telemetry/logger";
import { hasOpenssl, makePki } from "../../../test/support/pki";

test("mTLS: a client with a CA-signed certificate gets a snapshot; one without is refused", { skip: !hasOpenssl() && "openssl not available" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sidegate-tls-"));
  makePki(dir);
  const file = (n: string): Buffer => readFileSync(join(dir, n));
  const sidecarToken = "sct-" + randomBytes(16).toString("hex");
  const cp = await startControlPlane(
    {
      dataDir: join(dir, "data"), grpcHost: "127.0.0.1", grpcPort: 0, httpHost: "127.0.0.1", httpPort: 0,
      adminToken: "adm-" + randomBytes(16).toString("hex"), sidecarTokens: [sidecarToken], masterKey: randomBytes(32), logLevel: "silent",
      tls: { cert: file("server.pem"), key: file("server.key"), clientCa: file("ca.pem") },
    },
    { logger: createLogger("silent"), closeDeadlineMs: 500 },
  );
  const Ctor = grpc.makeGenericClientConstructor(serviceDefinition("PolicyService"), "PolicyService");
  const md = new grpc.Metadata();
  md.set(METADATA_AUTHORIZATION, `Bearer ${sidecarToken}`);
  md.set(METADATA_SIDECAR_ID, "tls-sidecar");
  const watchOnce = (creds: grpc.ChannelCredentials): Promise<PolicyUpdate | grpc.ServiceError> => {
    const c = new Ctor(cp.grpcAddress, creds, { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" }) as unknown as Record<string, (...a: unknown[]) => grpc.ClientReadableStream<PolicyUpdate>>;
    const call = c["Watch"]?.({ sidecar_id: "tls-sidecar", sidecar_version: "", known_version: 0, labels: {} }, md, { deadline: Date.now() + 3000 });
    return new Promise((resolve) => {
      call?.on("data", (u: PolicyUpdate) => {
        resolve(u);
        call.cancel();
      });
      call?.on("error", (e: grpc.ServiceError) => resolve(e));
    }).finally(() => (c as unknown as grpc.Client).close()) as Promise<PolicyUpdate | grpc.ServiceError>;
  };
  try {
    const good = await watchOnce(grpc.credentials.createSsl(file("ca.pem"), file("client.key"), file("client.pem")));
    assert.equal((good as PolicyUpdate).body, "snapshot");
    const noCert = await watchOnce(grpc.credentials.createSsl(file("ca.pem")));
    assert.equal((noCert as grpc.ServiceError).code, grpc.status.UNAVAILABLE);
    const plaintext = await watchOnce(grpc.credentials.createInsecure());
    assert.equal((plaintext as grpc.ServiceError).code, grpc.status.UNAVAILABLE);
  } finally {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
