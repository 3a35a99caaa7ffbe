import { applyBootstrap } from "./bootstrap/apply";
import { assertControlPlaneConfig, type ControlPlaneConfig } from "./config/load";
import { Broadcaster } from "./fanout/broadcaster";
import { createPolicyPublisher } from "./fanout/publisher";
import { startGrpcServer, type GrpcServerHandle } from "./grpc/server";
import { startAdminServer, type AdminServerHandle } from "./http/server";
import { openCredential, sealCredentialSecrets } from "./secrets/credential-secrets";
import { SqliteStore } from "./store/sqlite/sqlite-store";
import type { Store } from "./store/types";
import { createLogger, withRedaction, type Logger } from "./telemetry/logger";
import { createMetrics } from "./telemetry/metrics";

export type { ControlPlaneConfig } from "./config/load";
export type { Store } from "./store/types";

export interface ControlPlaneHandle {
  readonly grpcPort: number;
  readonly httpPort: number;
  /** `host:port` to dial (wildcard hosts become loopback). */
  readonly grpcAddress: string;
  /** `http://host:port` of the admin API. */
  readonly httpUrl: string;
  readonly store: Store;
  /** Ends Watch/Report streams, stops both listeners (with a deadline), then closes the store. Idempotent. */
  close(): Promise<void>;
}

export interface ControlPlaneDeps {
  logger?: Logger;
  /** Defaults to SQLite in `config.dataDir`. A store passed in is closed by `close()` too. */
  store?: Store;
  now?: () => number;
  /** Deadline for draining each listener on close (default 5000 ms). */
  closeDeadlineMs?: number;
}

const DEFAULT_LEASE_TTL_MS = 5000;

const dialHost = (host: string): string => {
  const h = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  return h.includes(":") ? `[${h}]` : h;
};

/** Composition root: store → snapshot → gRPC + admin HTTP. Resolves once both listeners are bound. */
export async function startControlPlane(config: ControlPlaneConfig, deps: ControlPlaneDeps = {}): Promise<ControlPlaneHandle> {
  assertControlPlaneConfig(config);
  const logger = withRedaction(deps.logger ?? createLogger(config.logLevel));
  const now = deps.now ?? Date.now;
  const deadline = deps.closeDeadlineMs ?? 5000;
  const metrics = createMetrics({ defaultMetrics: true });
  const store = deps.store ?? SqliteStore.open(config.dataDir);
  const broadcaster = new Broadcaster();
  let grpc: GrpcServerHandle | undefined;
  let http: AdminServerHandle | undefined;
  try {
    const publisher = createPolicyPublisher({
      store, broadcaster, logger, metrics, now, openCredential: (c) => openCredential(config.masterKey, c),
    });
    if (config.bootstrap) {
      const r = await applyBootstrap(config.bootstrap, {
        store, now, seal: (id, secrets) => sealCredentialSecrets(config.masterKey, id, secrets), open: (c) => openCredential(config.masterKey, c),
      });
      logger.info({ file: config.bootstrap.source, created: r.created, updated: r.updated, unchanged: r.unchanged }, "bootstrap file applied");
      for (const w of r.warnings) logger.warn({ file: config.bootstrap.source }, w);
    }
    const first = await publisher.refresh();
    logger.info({ policyVersion: first?.version, store: store.backend }, "policy loaded");
    grpc = await startGrpcServer({
      host: config.grpcHost, port: config.grpcPort, sidecarTokens: config.sidecarTokens, broadcaster, store, logger, metrics, now,
      leaseTtlMs: config.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS, dataDir: config.dataDir,
      ...(config.tls ? { tls: config.tls } : {}),
    });
    http = await startAdminServer({
      host: config.httpHost, port: config.httpPort, adminToken: config.adminToken,
      ...(config.httpRequestTimeoutMs === undefined ? {} : { requestTimeoutMs: config.httpRequestTimeoutMs }),
      ctx: { store, publisher, masterKey: config.masterKey, metrics, logger, now, leases: grpc.leases },
    });
  } catch (err) {
    broadcaster.close();
    await grpc?.close(0);
    await http?.close(0);
    await store.close();
    throw err;
  }
  const grpcServer = grpc;
  const httpServer = http;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info("control plane shutting down");
      broadcaster.close();
      await Promise.all([grpcServer.close(deadline), httpServer.close(deadline)]);
      await store.close();
      logger.info("control plane stopped");
    })();
    return closing;
  };

  return {
    grpcPort: grpcServer.port,
    httpPort: httpServer.port,
    grpcAddress: `${dialHost(config.grpcHost)}:${grpcServer.port}`,
    httpUrl: `http://${dialHost(config.httpHost)}:${httpServer.port}`,
    store,
    close,
  };
}
