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
  /** Raw `x-sidegate-tags` header ("" = none); parsed only when the usage record is built. */
  tagsHeader = "";

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
