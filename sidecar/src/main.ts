/** Composition root: config → telemetry → policy watch + usage reporter → pipeline → listeners. */
import { readFileSync } from "node:fs";
import { Client, credentials, type ChannelCredentials } from "@grpc/grpc-js";
import type { SidecarConfig } from "./config/load";
import { ChatPipeline } from "./pipeline/chat";
import { prepareTarget, type PreparedTarget } from "./pipeline/policy-types";
import { buildPolicyIndex } from "./policy/snapshot";
import { PolicyStore } from "./policy/store";
import { PolicyWatcher } from "./policy/watch";
import { listenApp } from "./server/app";
import { assertUwsUsable } from "./server/uws";
import { createLogger, withRedaction, type Logger } from "./telemetry/logger";
import { SidecarMetrics } from "./telemetry/metrics";
import { startMetricsServer, type MetricsListener } from "./telemetry/metrics-server";
import { UpstreamClient } from "./upstream/agent";
import { UsageReporter } from "./usage/reporter";
import { Limiter } from "./limiter/limiter";
import { LeaseClient } from "./quota/lease-client";
import { createBackoff } from "./util/backoff";

export type { SidecarConfig } from "./config/load";
export { ConfigError, loadSidecarConfig } from "./config/load";

export const SIDECAR_VERSION = "0.1.0";

export interface SidecarDeps {
  readonly logger?: Logger;
}

export interface SidecarHandle {
  readonly port: number;
  readonly url: string;
  /** The metrics listener's port; 0 when disabled. */
  readonly metricsPort: number;
  isReady(): boolean;
  waitReady(timeoutMs: number): Promise<void>;
  /** readyz fails → stop accepting → finish in-flight (deadline) → flush usage → close gRPC. Idempotent. */
  close(opts?: { deadlineMs?: number }): Promise<void>;
}

function channelCredentials(config: SidecarConfig): ChannelCredentials {
  const tls = config.tls;
  if (tls === undefined) return credentials.createInsecure();
  const read = (file: string | undefined): Buffer | null => (file === undefined ? null : readFileSync(file));
  return credentials.createSsl(read(tls.caFile), read(tls.keyFile), read(tls.certFile));
}

function urlFor(host: string, port: number): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

export async function startSidecar(config: SidecarConfig, deps: SidecarDeps = {}): Promise<SidecarHandle> {
  const logger = deps.logger ? withRedaction(deps.logger) : createLogger(config.logLevel);
  if (!assertUwsUsable(config.allowUwsFallback)) {
    logger.warn("uWebSockets.js pure-JS fallback in use (SIDEGATE_ALLOW_UWS_FALLBACK); performance is degraded");
  }
  const store = new PolicyStore<PreparedTarget>();
  const grpc = new Client(config.controlPlaneTarget, channelCredentials(config), {
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
  });
  let watcher: PolicyWatcher<PreparedTarget> | null = null;
  const metrics = new SidecarMetrics(() => watcher?.stalenessSeconds() ?? 0);
  const limiter = new Limiter({ burstMs: config.rateBurstMs, failModes: config.limitFallback });
  const leases = new LeaseClient({
    client: grpc,
    sidecarId: config.sidecarId,
    token: config.sidecarToken,
    limiter,
    renewMs: config.leaseRenewMs,
    backoff: createBackoff(config.reconnectMinMs, config.reconnectMaxMs),
    logger,
    metrics,
  });
  watcher = new PolicyWatcher<PreparedTarget>({
    client: grpc,
    sidecarId: config.sidecarId,
    sidecarVersion: SIDECAR_VERSION,
    token: config.sidecarToken,
    store,
    build: (version, issuedAtMs, snapshot) => {
      const index = buildPolicyIndex(version, issuedAtMs, snapshot, prepareTarget);
      limiter.update({ keys: index.keys.values(), teams: index.teamLimits, globalLimits: index.globalLimits }, Date.now());
      leases.requestSoon();
      return index;
    },
    backoff: createBackoff(config.reconnectMinMs, config.reconnectMaxMs),
    logger,
    metrics,
  });
  const reporter = new UsageReporter({
    client: grpc,
    sidecarId: config.sidecarId,
    token: config.sidecarToken,
    flushMs: config.usageFlushMs,
    maxRecordsPerBatch: config.usageBatchMaxRecords,
    maxQueuedBatches: config.usageMaxQueuedBatches,
    backoff: createBackoff(config.reconnectMinMs, config.reconnectMaxMs),
    logger,
    metrics,
    onAcked: (records) => leases.acknowledged(records),
  });
  const upstream = new UpstreamClient({
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    connections: config.upstreamConnections,
  });
  const pipeline = new ChatPipeline({
    store,
    upstream,
    metrics,
    logger,
    usage: reporter,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    upstreamBodyTimeoutMs: config.upstreamBodyTimeoutMs,
    limits: { limiter, defaultMaxTokens: config.reserveMaxTokens, wantLease: () => leases.requestSoon() },
  });
  const readiness = {
    draining: false,
    get ready(): boolean {
      return store.ready;
    },
    get policyVersion(): number {
      return store.version;
    },
  };
  let metricsListener: MetricsListener | null = null;
  let listener: Awaited<ReturnType<typeof listenApp>>;
  try {
    listener = await listenApp(config.host, config.port, { pipeline, readiness, maxBodyBytes: config.maxBodyBytes });
    if (config.metricsPort !== 0) {
      metricsListener = await startMetricsServer(metrics, config.metricsHost, config.metricsPort);
    }
  } catch (err) {
    grpc.close();
    await upstream.destroy();
    throw err;
  }
  watcher.start();
  reporter.start();
  leases.start();
  const activeWatcher = watcher;
  logger.info(
    { host: config.host, port: listener.port, metricsPort: metricsListener?.port ?? 0, sidecarId: config.sidecarId },
    "sidecar listening",
  );

  let closing: Promise<void> | null = null;
  const shutdown = async (deadlineMs: number): Promise<void> => {
    const deadline = Date.now() + deadlineMs;
    readiness.draining = true;
    listener.stopListening();
    const idle = await pipeline.waitIdle(Math.max(0, deadline - Date.now()));
    const flushed = await reporter.flush(Math.max(1, deadline - Date.now()));
    if (!idle || !flushed) {
      logger.warn({ inFlight: pipeline.inFlight, unackedBatches: reporter.unackedCount }, "shutdown deadline reached");
    }
    reporter.close();
    leases.close();
    activeWatcher.stop();
    grpc.close();
    await upstream.destroy();
    await metricsListener?.close();
    logger.info("sidecar stopped");
  };

  return {
    port: listener.port,
    url: urlFor(config.host, listener.port),
    metricsPort: metricsListener?.port ?? 0,
    isReady: () => store.ready && !readiness.draining,
    waitReady: (timeoutMs) => store.waitReady(timeoutMs),
    close(opts = {}) {
      closing ??= shutdown(opts.deadlineMs ?? config.shutdownDeadlineMs);
      return closing;
    },
  };
}
