/** Composition root: config → telemetry → policy watch + usage reporter → pipeline → listeners. */
import { mkdirSync, readFileSync } from "node:fs";
import { Client, credentials, type ChannelCredentials } from "@grpc/grpc-js";
import type { SidecarConfig } from "./config/load";
import { ChatPipeline } from "./pipeline/chat";
import { DeadlineWatch } from "./routing/deadline-watch";
import { DEFAULT_BREAKER } from "./routing/circuit-breaker";
import { HealthRegistry } from "./routing/deployment-health";
import { RetryBudget } from "./routing/retry-budget";
import { EmbeddingsPipeline } from "./pipeline/embeddings";
import { prepareTarget, type PreparedTarget } from "./pipeline/policy-types";
import { setUpFailStatic } from "./policy/fail-static";
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
/** Largest message accepted from the control plane (a policy snapshot with many keys). */
export const GRPC_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

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

/** Longest a sidecar waits for its limits' first lease answer before it reports ready anyway. */
const LIMITS_READY_GRACE_MS = 2_000;

export async function startSidecar(config: SidecarConfig, deps: SidecarDeps = {}): Promise<SidecarHandle> {
  const logger = deps.logger ? withRedaction(deps.logger) : createLogger(config.logLevel);
  if (!assertUwsUsable(config.allowUwsFallback)) {
    logger.warn("uWebSockets.js pure-JS fallback in use (SIDEGATE_ALLOW_UWS_FALLBACK); performance is degraded");
  }
  const store = new PolicyStore<PreparedTarget>();
  if (config.dataDir !== undefined) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const limiter = new Limiter({ burstMs: config.rateBurstMs, failModes: config.limitFallback });
  /** Set once the gRPC client exists; a snapshot restored from disk before that just seeds the limiter. */
  let leaseClient: LeaseClient | null = null;
  const build = (version: number, issuedAtMs: number, snapshot: Parameters<typeof buildPolicyIndex>[2]) => {
    const index = buildPolicyIndex(version, issuedAtMs, snapshot, prepareTarget);
    limiter.update({ keys: index.keys.values(), teams: index.teamLimits, globalLimits: index.globalLimits }, Date.now());
    leaseClient?.limitsChanged();
    return index;
  };
  const snapshotKey = config.snapshotKey === undefined ? undefined : Buffer.from(config.snapshotKey, "base64");
  const failStatic = setUpFailStatic(config.dataDir, snapshotKey, store, build, logger);
  const grpc = new Client(config.controlPlaneTarget, channelCredentials(config), {
    "grpc.max_receive_message_length": GRPC_MAX_RECEIVE_BYTES,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
  });
  let watcher: PolicyWatcher<PreparedTarget> | null = null;
  const metrics = new SidecarMetrics(() => watcher?.stalenessSeconds() ?? 0);
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
  leaseClient = leases;
  watcher = new PolicyWatcher<PreparedTarget>({
    client: grpc,
    sidecarId: config.sidecarId,
    sidecarVersion: SIDECAR_VERSION,
    token: config.sidecarToken,
    store,
    build,
    backoff: createBackoff(config.reconnectMinMs, config.reconnectMaxMs),
    logger,
    metrics,
    ...(failStatic.onConfirmed === undefined ? {} : { onConfirmed: failStatic.onConfirmed }),
    ...(failStatic.restoredConfirmedAtMs === undefined ? {} : { confirmedAtMs: failStatic.restoredConfirmedAtMs }),
  });
  const reporter = new UsageReporter({
    client: grpc,
    sidecarId: config.sidecarId,
    token: config.sidecarToken,
    flushMs: config.usageFlushMs,
    maxRecordsPerBatch: config.usageBatchMaxRecords,
    maxResidentBatches: config.usageMaxQueuedBatches,
    ...(config.dataDir === undefined
      ? {}
      : { spool: { dataDir: config.dataDir, fsync: config.spoolFsync, maxBytes: config.spoolMaxBytes }, spoolRewriteAtBytes: config.spoolRewriteAtBytes }),
    backoff: createBackoff(config.reconnectMinMs, config.reconnectMaxMs),
    logger,
    metrics,
    onAcked: (records) => leases.acknowledged(records),
  });
  const upstream = new UpstreamClient({
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    connections: config.upstreamConnections,
  });
  const health = new HealthRegistry({
    ...DEFAULT_BREAKER,
    consecutiveFailures: config.breakerConsecutiveFailures,
    openMs: config.breakerOpenMs,
    maxOpenMs: config.breakerMaxOpenMs,
  });
  metrics.watchDeployments(() => health.view(performance.now()));
  const watch = new DeadlineWatch();
  const pipeline = new ChatPipeline({
    store,
    upstream,
    metrics,
    logger,
    usage: reporter,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    upstreamBodyTimeoutMs: config.upstreamBodyTimeoutMs,
    routing: {
      health,
      budget: new RetryBudget(),
      watch,
      random: Math.random,
      defaults: {
        connectMs: config.upstreamConnectTimeoutMs,
        firstTokenMs: config.upstreamTimeoutMs,
        idleMs: config.upstreamBodyTimeoutMs,
        totalMs: config.upstreamTotalTimeoutMs,
      },
    },
    limits: { limiter, defaultMaxTokens: config.reserveMaxTokens, wantLease: () => leases.leaseMissing(), balanceShort: () => leases.renewEarly() },
  });
  const embeddings = new EmbeddingsPipeline({
    core: pipeline,
    upstream,
    metrics,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    upstreamBodyTimeoutMs: config.upstreamBodyTimeoutMs,
  });
  const activeWatcher = watcher;
  // Ready once the policy is held and its limits got their first lease answer (so a hard budget does not
  // answer 429 for its first requests), or LIMITS_READY_GRACE_MS after start (the control plane may be down:
  // the limits' fail modes apply). Latched: later policy changes never flap readiness.
  const startedAt = performance.now();
  let limitsSettled = false;
  const limitsReady = (): boolean =>
    limitsSettled || (limitsSettled = store.ready && (leases.caughtUp || performance.now() - startedAt > LIMITS_READY_GRACE_MS));
  const readiness = {
    draining: false,
    get ready(): boolean {
      return store.ready && limitsReady();
    },
    get policyVersion(): number {
      return store.version;
    },
    get controlPlaneConnected(): boolean {
      return activeWatcher.connected;
    },
    get stalenessSeconds(): number {
      return activeWatcher.stalenessSeconds();
    },
    deployments: () => health.view(performance.now()),
  };
  let metricsListener: MetricsListener | null = null;
  let listener: Awaited<ReturnType<typeof listenApp>>;
  try {
    listener = await listenApp(config.host, config.port, {
      pipeline,
      embeddings,
      readiness,
      maxBodyBytes: config.maxBodyBytes,
      bodyTimeoutMs: config.requestBodyTimeoutMs,
    });
    if (config.metricsPort !== 0) {
      metricsListener = await startMetricsServer(metrics, config.metricsHost, config.metricsPort);
    }
  } catch (err) {
    reporter.close();
    grpc.close();
    await upstream.destroy();
    throw err;
  }
  watcher.start();
  reporter.start();
  leases.start();
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
    // Usage of everything served is now recorded; later arrivals on kept-alive connections get 503.
    pipeline.stopAccepting();
    const flushed = await reporter.flush(Math.max(1, deadline - Date.now()));
    if (!idle || !flushed) {
      logger.warn({ inFlight: pipeline.inFlight, unackedBatches: reporter.unackedCount }, "shutdown deadline reached");
    }
    reporter.close();
    leases.close();
    activeWatcher.stop();
    failStatic.flush();
    grpc.close();
    await upstream.destroy();
    await metricsListener?.close();
    logger.info("sidecar stopped");
  };

  return {
    port: listener.port,
    url: urlFor(config.host, listener.port),
    metricsPort: metricsListener?.port ?? 0,
    isReady: () => readiness.ready && !readiness.draining,
    async waitReady(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      await store.waitReady(timeoutMs);
      while (!limitsReady() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    },
    close(opts = {}) {
      closing ??= shutdown(opts.deadlineMs ?? config.shutdownDeadlineMs);
      return closing;
    },
  };
}
