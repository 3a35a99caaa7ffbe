import type { ResponseCodec, UpstreamRequest } from "../providers/types";
import type { Stage } from "./compose";
import type { RequestContext } from "./context";
import type { SidecarTarget } from "./policy-types";

/** One upstream call: what to send, and how to turn the answer into the client's bytes and usage. */
export interface Exchange {
  readonly request: UpstreamRequest;
  readonly codec: ResponseCodec;
}

/** The parts of a context that are set once a request has been parsed and routed. */
export interface Routed {
  readonly target: SidecarTarget;
  readonly json: Readonly<Record<string, unknown>>;
  readonly body: Buffer;
}

/**
 * What an inbound endpoint adds to the shared request lifecycle (auth, in-flight tracking, relay,
 * accounting): its stages once the body is read, and how a routed request becomes an upstream exchange.
 */
export interface Endpoint {
  /** Parse and check the body, then route (fills json, model, stream and target on the context). */
  readonly afterBody: Stage;
  /** May throw a ProxyError (e.g. a parameter the provider cannot honour). */
  plan(ctx: RequestContext, routed: Routed): Exchange;
}
