import { JSON_HEADERS, writeResponse } from "../respond";
import { acceptRequestId } from "../request-id";
import type { HttpRequest, HttpResponse } from "../uws";

const OK = Buffer.from('{"status":"ok"}');

export interface ReadinessSource {
  readonly draining: boolean;
  readonly policyVersion: number;
  readonly ready: boolean;
}

/** GET /healthz: the process is alive. */
export function healthzHandler() {
  return (res: HttpResponse, req: HttpRequest): void => {
    writeResponse(res, 200, acceptRequestId(req.getHeader("x-request-id")), JSON_HEADERS, OK);
  };
}

/** GET /readyz: 200 with a valid policy snapshot and not draining; 503 with the reason otherwise. */
export function readyzHandler(source: ReadinessSource) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const requestId = acceptRequestId(req.getHeader("x-request-id"));
    let status = 200;
    let body: object;
    if (source.draining) {
      status = 503;
      body = { status: "not_ready", reason: "draining", policy_version: source.policyVersion };
    } else if (!source.ready) {
      status = 503;
      body = { status: "not_ready", reason: "no_policy_snapshot", policy_version: 0 };
    } else {
      body = { status: "ready", policy_version: source.policyVersion };
    }
    writeResponse(res, status, requestId, JSON_HEADERS, JSON.stringify(body));
  };
}
