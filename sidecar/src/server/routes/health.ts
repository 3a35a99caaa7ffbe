import { JSON_HEADERS, writeResponse } from "../respond";
import { acceptRequestId } from "../request-id";
import type { HttpRequest, HttpResponse } from "../uws";
import type { HealthView } from "../../routing/deployment-health";

const OK = Buffer.from('{"status":"ok"}');

export interface ReadinessSource {
  readonly draining: boolean;
  readonly policyVersion: number;
  readonly ready: boolean;
  /** The Watch stream is up (false while serving a persisted or stale snapshot). */
  readonly controlPlaneConnected: boolean;
  /** Seconds since the policy in use was last confirmed by the control plane (0 while connected). */
  readonly stalenessSeconds: number;
  /** Deployments this sidecar has sent to, with their circuit-breaker state. */
  deployments(): readonly HealthView[];
}

/** GET /healthz: the process is alive. */
export function healthzHandler() {
  return (res: HttpResponse, req: HttpRequest): void => {
    writeResponse(res, 200, acceptRequestId(req.getHeader("x-request-id")), JSON_HEADERS, OK);
  };
}

/**
 * GET /readyz: 200 with a valid policy snapshot and not draining; 503 with the reason otherwise. A sidecar
 * serving a stale (control plane unreachable) snapshot stays ready; the detail says how stale. Ejected
 * deployments are listed but never fail readiness: the fault is the provider's, and every pod shares it.
 */
export function readyzHandler(source: ReadinessSource) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const requestId = acceptRequestId(req.getHeader("x-request-id"));
    const detail = {
      policy_version: source.policyVersion,
      control_plane_connected: source.controlPlaneConnected,
      policy_staleness_seconds: Math.round(source.stalenessSeconds * 10) / 10,
      deployments: source.deployments().map((d) => ({
        deployment: d.deploymentId,
        breaker: d.state,
        ...(d.state === "open" ? { retry_in_ms: d.retryInMs } : {}),
        in_flight: d.inFlight,
        ttft_ms: d.ttftMs,
        total_ms: d.totalMs,
      })),
    };
    let status = 200;
    let body: object;
    if (source.draining) {
      status = 503;
      body = { status: "not_ready", reason: "draining", ...detail };
    } else if (!source.ready) {
      status = 503;
      body = { status: "not_ready", reason: "no_policy_snapshot", ...detail };
    } else {
      body = { status: "ready", ...detail };
    }
    writeResponse(res, status, requestId, JSON_HEADERS, JSON.stringify(body));
  };
}
