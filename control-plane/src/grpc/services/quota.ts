import { status, type ServerDuplexStream } from "@grpc/grpc-js";
import type * as pb from "../../../../proto";
import type { SidecarIdentity } from "../auth";

/** QuotaService.Lease is registered (so the contract is visible) but not implemented yet. */
export function createQuotaService() {
  function Lease(call: ServerDuplexStream<pb.LeaseRequest, pb.LeaseGrant>, _identity: SidecarIdentity): void {
    call.emit("error", { code: status.UNIMPLEMENTED, details: "QuotaService.Lease is not implemented yet" });
  }
  return { Lease };
}
