import { status, type ServerDuplexStream } from "@grpc/grpc-js";
import type * as pb from "../../../../proto";
import { validateUsageBatch } from "../../domain/usage-batch";
import type { UsageBatch } from "../../domain/usage-types";
import type { Store } from "../../store/types";
import type { Logger } from "../../telemetry/logger";
import type { ControlPlaneMetrics } from "../../telemetry/metrics";
import type { SidecarIdentity } from "../auth";
import { reportAckToProto, usageBatchFromProto } from "../convert";

export type ReportCall = ServerDuplexStream<pb.UsageBatch, pb.ReportAck>;

/** Batches read ahead of the store before the stream is paused. */
const MAX_IN_FLIGHT = 8;

interface StreamState {
  readonly call: ReportCall;
  chain: Promise<void>;
  inFlight: number;
  ended: boolean;
}

/**
 * UsageService.Report: batches are handled strictly in arrival order; each is persisted exactly once per
 * (producer_id, seq) in one transaction and acknowledged only after commit. An invalid batch ends the
 * stream with INVALID_ARGUMENT; a store failure ends it with UNAVAILABLE (the sidecar re-sends unacked).
 */
export function createUsageService(deps: {
  store: Store;
  logger: Logger;
  metrics: ControlPlaneMetrics;
  now: () => number;
  /** Runs after a new batch is committed and before it is acknowledged (spend caches, alerts). */
  onStored?: (batch: UsageBatch) => void;
}) {
  const streams = new Set<StreamState>();

  const fail = (s: StreamState, code: status, details: string): void => {
    if (s.ended) return;
    s.ended = true;
    if (!s.call.cancelled) s.call.emit("error", { code, details });
  };

  async function handle(s: StreamState, msg: pb.UsageBatch, identity: SidecarIdentity, log: Logger): Promise<void> {
    if (s.ended || s.call.cancelled) return;
    const batch = usageBatchFromProto(msg, identity.sidecarId);
    deps.metrics.usageBatchesReceived.inc();
    const problem = validateUsageBatch(batch);
    if (problem !== undefined) {
      deps.metrics.usageBatchesRejected.inc();
      log.warn({ producerId: batch.producerId.slice(0, 128), seq: batch.seq, problem }, "invalid usage batch rejected");
      fail(s, status.INVALID_ARGUMENT, `invalid usage batch: ${problem}`);
      return;
    }
    let duplicate: boolean;
    try {
      ({ duplicate } = await deps.store.recordUsageBatch(batch, deps.now()));
    } catch (err) {
      log.error({ err, producerId: batch.producerId, seq: batch.seq }, "usage batch not stored");
      fail(s, status.UNAVAILABLE, "usage store unavailable; re-send later");
      return;
    }
    if (duplicate) deps.metrics.usageBatchesDuplicate.inc();
    else {
      deps.metrics.usageRecordsStored.inc(batch.records.length);
      deps.onStored?.(batch);
    }
    log.debug({ producerId: batch.producerId, seq: batch.seq, records: batch.records.length, duplicate }, "usage batch acknowledged");
    if (!s.call.cancelled) s.call.write(reportAckToProto(batch.producerId, batch.seq, duplicate));
  }

  function Report(call: ReportCall, identity: SidecarIdentity): void {
    const log = deps.logger.child({ sidecarId: identity.sidecarId, rpc: "Report" });
    const s: StreamState = { call, chain: Promise.resolve(), inFlight: 0, ended: false };
    streams.add(s);
    log.debug("usage stream opened");
    const forget = (): void => {
      streams.delete(s);
    };
    call.on("data", (msg: pb.UsageBatch) => {
      s.inFlight += 1;
      if (s.inFlight >= MAX_IN_FLIGHT) call.pause();
      s.chain = s.chain.then(() => handle(s, msg, identity, log)).finally(() => {
        s.inFlight -= 1;
        if (s.inFlight < MAX_IN_FLIGHT && call.isPaused()) call.resume();
      });
    });
    call.on("end", () => {
      void s.chain.then(() => {
        if (!s.ended && !call.cancelled) call.end();
        s.ended = true;
        forget();
      });
    });
    call.on("cancelled", () => {
      s.ended = true;
      forget();
    });
    call.on("error", forget);
  }

  /** Ends every open Report stream once its in-flight batches are stored and acknowledged. */
  async function closeStreams(): Promise<void> {
    await Promise.all(
      [...streams].map(async (s) => {
        await s.chain;
        if (!s.ended && !s.call.cancelled) s.call.end();
        s.ended = true;
        streams.delete(s);
      }),
    );
  }

  return { Report, closeStreams };
}
