import type { LimitPlan } from "../limiter/limiter";
import type { KeyEntry } from "../policy/snapshot";
import type { NormalizedUsage } from "../providers/types";
import type { SidecarPolicy, SidecarTarget } from "./policy-types";

/** Per-request state. A class so every instance has the same hidden shape (all fields set up front). */
export class RequestContext {
  readonly requestId: string;
  /** Metric label of the endpoint, e.g. "chat_completions". */
  readonly route: string;
  readonly endpoint: string;
  readonly authorization: string;
  readonly contentType: string;
  readonly startedAtMs: number;
  /** performance.now() at start. */
  readonly startTick: number;
  policy: SidecarPolicy | null = null;
  key: KeyEntry | null = null;
  body: Buffer | null = null;
  json: Record<string, unknown> | null = null;
  model = "";
  stream = false;
  includeUsage = false;
  target: SidecarTarget | null = null;
  status = 0;
  errorCode = "";
  usage: NormalizedUsage | null = null;
  ttftMs = 0;
  attempts = 0;
  /** Limits the request was admitted against (to settle when it ends); null = none. */
  limits: LimitPlan | null = null;
  inputTokensEstimate = 0;
  reservedTokens = 0;
  reservedUsd = 0;
  /** USD charged for the request; -1 = not settled (cost is computed from usage). */
  chargedUsd = -1;
  /** x-ratelimit-* and retry-after header values; "" = not sent. */
  rlLimitRequests = "";
  rlRemainingRequests = "";
  rlResetRequests = "";
  rlLimitTokens = "";
  rlRemainingTokens = "";
  rlResetTokens = "";
  retryAfter = "";

  constructor(
    requestId: string,
    route: string,
    endpoint: string,
    authorization: string,
    contentType: string,
    startTick: number,
  ) {
    this.requestId = requestId;
    this.route = route;
    this.endpoint = endpoint;
    this.authorization = authorization;
    this.contentType = contentType;
    this.startedAtMs = Date.now();
    this.startTick = startTick;
  }
}
