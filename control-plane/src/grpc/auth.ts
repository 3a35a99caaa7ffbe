import { status, type Metadata } from "@grpc/grpc-js";
import { METADATA_AUTHORIZATION, METADATA_SIDECAR_ID } from "../../../proto";
import { bearerToken, createTokenMatcher } from "../domain/token-match";

export interface SidecarIdentity {
  readonly sidecarId: string;
}

export interface AuthFailure {
  readonly code: status.UNAUTHENTICATED;
  readonly details: string;
}

const MAX_SIDECAR_ID = 253;

function first(md: Metadata, key: string): string | undefined {
  const v = md.get(key)[0];
  return typeof v === "string" ? v : undefined;
}

/**
 * Checks `authorization: Bearer <sidecar token>` (constant-time against every configured token) and a
 * present `x-sidegate-sidecar-id`. Failure details never echo what was presented.
 */
export function createSidecarAuthenticator(tokens: readonly string[]): (call: { readonly metadata: Metadata }) => SidecarIdentity | AuthFailure {
  const matches = createTokenMatcher(tokens);
  return (call) => {
    const token = bearerToken(first(call.metadata, METADATA_AUTHORIZATION));
    if (!matches(token)) return { code: status.UNAUTHENTICATED, details: "missing or invalid sidecar token" };
    const sidecarId = first(call.metadata, METADATA_SIDECAR_ID)?.trim() ?? "";
    if (sidecarId.length === 0 || sidecarId.length > MAX_SIDECAR_ID) {
      return { code: status.UNAUTHENTICATED, details: `missing or invalid ${METADATA_SIDECAR_ID} metadata` };
    }
    return { sidecarId };
  };
}

export const isAuthFailure = (r: SidecarIdentity | AuthFailure): r is AuthFailure => "code" in r;
