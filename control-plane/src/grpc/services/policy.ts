import { status, type ServerWritableStream } from "@grpc/grpc-js";
import type * as pb from "../../../../proto";
import type { VersionedSnapshot } from "../../domain/types";
import type { Broadcaster } from "../../fanout/broadcaster";
import type { Logger } from "../../telemetry/logger";
import type { ControlPlaneMetrics } from "../../telemetry/metrics";
import type { SidecarIdentity } from "../auth";
import { policyUpdateToProto } from "../convert";

export type WatchCall = ServerWritableStream<pb.WatchRequest, pb.PolicyUpdate>;

function drained(call: WatchCall): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off("drain", done);
      call.off("cancelled", done);
      resolve();
    };
    call.on("drain", done);
    call.on("cancelled", done);
  });
}

/**
 * PolicyService.Watch: the current snapshot first, then every newer version. A stream whose client reads
 * slowly waits for `drain` and then gets only the newest version (the broadcaster coalesces).
 */
export function createPolicyService(deps: { broadcaster: Broadcaster; logger: Logger; metrics: ControlPlaneMetrics }) {
  // One proto object per version, shared by every stream.
  const encoded = new WeakMap<VersionedSnapshot, pb.PolicyUpdate>();
  const toProto = (v: VersionedSnapshot): pb.PolicyUpdate => {
    let u = encoded.get(v);
    if (u === undefined) {
      u = policyUpdateToProto(v);
      encoded.set(v, u);
    }
    return u;
  };

  async function pump(call: WatchCall, sub: ReturnType<Broadcaster["subscribe"]>, log: Logger): Promise<void> {
    for (;;) {
      const update = await sub.next();
      if (update === undefined || call.cancelled) return;
      log.debug({ policyVersion: update.version }, "policy update sent");
      if (!call.write(toProto(update))) await drained(call);
    }
  }

  function Watch(call: WatchCall, identity: SidecarIdentity): void {
    const log = deps.logger.child({ sidecarId: identity.sidecarId, rpc: "Watch" });
    const sub = deps.broadcaster.subscribe();
    deps.metrics.watchStreams.inc();
    log.info({ knownVersion: call.request.known_version, sidecarVersion: call.request.sidecar_version }, "watch stream opened");
    let finished = false;
    const finish = (reason: string): void => {
      if (finished) return;
      finished = true;
      sub.close();
      deps.metrics.watchStreams.dec();
      log.info({ reason }, "watch stream closed");
    };
    call.on("cancelled", () => finish("cancelled by client"));
    call.on("error", () => finish("stream error"));
    pump(call, sub, log).then(
      () => {
        if (!call.cancelled) call.end();
        finish(call.cancelled ? "cancelled by client" : "server closing");
      },
      (err: unknown) => {
        log.error({ err }, "watch stream failed");
        if (!call.cancelled) call.emit("error", { code: status.INTERNAL, details: "internal error" });
        finish("error");
      },
    );
  }

  return { Watch };
}
