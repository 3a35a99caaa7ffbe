import type { LimitPlan } from "../limiter/limiter";
import type { KeyEntry, RouteEntry } from "../policy/snapshot";
import type { NormalizedUsage } from "../providers/types";
import type { PreparedTarget, SidecarPolicy, SidecarTarget } from "./policy-types";
import type { EmbeddingsRequest } from "./stages/embeddings-body";

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

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
  /** The `x-api-key` header on surfaces that accept it ("" otherwise); takes precedence over `authorization`. */
  apiKey = "";
  /** Client headers an inbound surface forwards to native upstreams (lower-case names). */
  clientHeaders: Readonly<Record<string, string>> = NO_HEADERS;
  policy: SidecarPolicy | null = null;
  key: KeyEntry | null = null;
  body: Buffer | null = null;
  json: Record<string, unknown> | null = null;
  model = "";
  stream = false;
  includeUsage = false;
  /** The validated `/v1/embeddings` request (null on other endpoints). */
  embeddings: EmbeddingsRequest | null = null;
  /** The route the model resolved to (null for a direct `provider/model` address). */
  routeEntry: RouteEntry<PreparedTarget> | null = null;
  /** The deployment of the current (last) attempt. */
  target: SidecarTarget | null = null;
  status = 0;
  errorCode = "";
  usage: NormalizedUsage | null = null;
  ttftMs = 0;
  attempts = 0;
  /** Raw `x-sidegate-tags` header ("" = none); parsed only when the usage record is built. */
  tagsHeader = "";
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

  /**
   * The request was answered and accounted: drop the per-request data it still points at. A context that
   * lived through a young-generation GC sits in the old generation until the next full one, and whatever
   * it points at there stays alive with it; cleared, its body, parsed JSON and usage die young.
   */
  release(): void {
    this.body = null;
    this.json = null;
    this.usage = null;
    this.embeddings = null;
    this.limits = null;
    this.clientHeaders = NO_HEADERS;
  }
}
