import { Metadata } from "@grpc/grpc-js";
import { METADATA_AUTHORIZATION, METADATA_SIDECAR_ID } from "../../../proto";

/** Metadata every sidecar → control-plane call carries. */
export function sidecarMetadata(token: string, sidecarId: string): Metadata {
  const md = new Metadata();
  md.set(METADATA_AUTHORIZATION, `Bearer ${token}`);
  md.set(METADATA_SIDECAR_ID, sidecarId);
  return md;
}
