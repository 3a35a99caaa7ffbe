import { Server, ServerCredentials, status, type Metadata } from "@grpc/grpc-js";
import { serviceDefinition } from "../../../proto";
import type { LeaseSummary } from "../domain/lease-book";
import type { Broadcaster } from "../fanout/broadcaster";
import { createSoftBudgetAlerts } from "../quota/soft-budget-alerts";
import { SpendLedger } from "../quota/spend-ledger";
import type { Store } from "../store/types";
import type { Logger } from "../telemetry/logger";
import type { ControlPlaneMetrics } from "../telemetry/metrics";
import { createSidecarAuthenticator, isAuthFailure, type SidecarIdentity } from "./auth";
import { createPolicyService } from "./services/policy";
import { createQuotaService, leaseGraceMs } from "./services/quota";
import { leaseWatermarkWriter, readLeaseWatermark } from "../quota/lease-watermark";
import { createUsageService } from "./services/usage";

export const GRPC_MAX_RECEIVE_BYTES = 8 * 1024 * 1024;

export interface GrpcTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa?: Buffer;
}

export interface GrpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: GrpcTls;
  readonly sidecarTokens: readonly string[];
  readonly broadcaster: Broadcaster;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: ControlPlaneMetrics;
  readonly now: () => number;
  /** Capacity lease validity (QuotaService). */
  readonly leaseTtlMs: number;
  /** Where the lease watermark is kept (the data dir). */
  readonly dataDir: string;
}

export interface GrpcServerHandle {
  readonly port: number;
  /** Who holds which capacity lease right now. */
  leases(): LeaseSummary;
  /** Ends Report streams, waits up to `deadlineMs` for calls to finish, then forces the rest closed. */
  close(deadlineMs: number): Promise<void>;
}

function credentials(tls: GrpcTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], tls.clientCa !== undefined);
}

/** The part of every grpc-js server call the guard needs. */
interface GuardedCall {
  readonly metadata: Metadata;
  getPeer(): string;
  emit(event: "error", err: { code: status; details: string }): boolean;
}

const bindAddress = (host: string, port: number): string => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

/** Starts the sidecar-facing gRPC server. Every call is authenticated before its handler runs. */
export async function startGrpcServer(opts: GrpcServerOptions): Promise<GrpcServerHandle> {
  const server = new Server({
    "grpc.max_receive_message_length": GRPC_MAX_RECEIVE_BYTES,
    "grpc.max_send_message_length": -1,
    "grpc.keepalive_time_ms": 30_000,
    "grpc.keepalive_timeout_ms": 10_000,
    "grpc.keepalive_permit_without_calls": 1,
  });
  const authenticate = createSidecarAuthenticator(opts.sidecarTokens);
  const log = opts.logger.child({ component: "grpc" });

  /** Wraps a streaming handler with the auth check; a rejected call ends with UNAUTHENTICATED. */
  const guard = <C extends GuardedCall>(method: string, handler: (call: C, id: SidecarIdentity) => void) => (call: C): void => {
    const result = authenticate(call);
    if (isAuthFailure(result)) {
      opts.metrics.grpcUnauthenticated.inc({ method });
      log.warn({ method, peer: call.getPeer() }, "gRPC call rejected: unauthenticated");
      call.emit("error", { code: status.UNAUTHENTICATED, details: result.details });
      return;
    }
    handler(call, result);
  };

  const policy = createPolicyService({ broadcaster: opts.broadcaster, logger: log, metrics: opts.metrics });
  const ledger = new SpendLedger(opts.store);
  const snapshot = () => opts.broadcaster.current;
  const alerts = createSoftBudgetAlerts({ ledger, snapshot: () => snapshot()?.snapshot, logger: log, metrics: opts.metrics, now: opts.now });
  const usage = createUsageService({
    store: opts.store, logger: log, metrics: opts.metrics, now: opts.now,
    onStored: (batch) => {
      ledger.invalidate(batch.records);
      void alerts.onStored(batch.records);
    },
  });
  const quota = createQuotaService({
    snapshot, ledger, logger: log, metrics: opts.metrics, now: opts.now, ttlMs: opts.leaseTtlMs,
    settledAtMs: readLeaseWatermark(opts.dataDir),
    onGranted: leaseWatermarkWriter(opts.dataDir, opts.leaseTtlMs + leaseGraceMs(opts.leaseTtlMs)),
  });
  server.addService(serviceDefinition("PolicyService"), { Watch: guard("Watch", policy.Watch) });
  server.addService(serviceDefinition("UsageService"), { Report: guard("Report", usage.Report) });
  server.addService(serviceDefinition("QuotaService"), { Lease: guard("Lease", quota.Lease) });

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(bindAddress(opts.host, opts.port), credentials(opts.tls), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  log.info({ host: opts.host, port, tls: opts.tls !== undefined, mtls: opts.tls?.clientCa !== undefined }, "gRPC listening");

  let closing: Promise<void> | undefined;
  return {
    port,
    leases: () => quota.book.summary(opts.now()),
    close: (deadlineMs) => {
      closing ??= (async () => {
        quota.closeStreams();
        await Promise.race([usage.closeStreams(), new Promise((r) => setTimeout(r, deadlineMs).unref())]);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            log.warn("gRPC calls still open at the deadline; forcing shutdown");
            server.forceShutdown();
            resolve();
          }, deadlineMs);
          timer.unref();
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}
