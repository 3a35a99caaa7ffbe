import { mayUseModel } from "../../policy/direct";
import type { KeyEntry } from "../../policy/snapshot";
import type { ChatPipeline } from "../../pipeline/chat";
import { RequestContext } from "../../pipeline/context";
import type { SidecarPolicy } from "../../pipeline/policy-types";
import { JSON_HEADERS, writeError, writeResponse } from "../respond";
import { acceptRequestId } from "../request-id";
import type { HttpRequest, HttpResponse } from "../uws";

/** Encoded model lists, cached per key entry (entries are rebuilt with every snapshot). */
const cache = new WeakMap<KeyEntry, Buffer>();

export function modelListBody(policy: SidecarPolicy, key: KeyEntry): Buffer {
  let body = cache.get(key);
  if (body === undefined) {
    const created = Math.floor(policy.issuedAtMs / 1000);
    const allowed = key.allowed;
    const data = policy.models
      .filter((id) => mayUseModel(allowed, id))
      .map((id) => ({ id, object: "model", created, owned_by: "sidegate" }));
    body = Buffer.from(JSON.stringify({ object: "list", data }));
    cache.set(key, body);
  }
  return body;
}

/** GET /v1/models: the routed models and enumerable direct addresses this key may use, in OpenAI list shape. */
export function modelsHandler(pipeline: ChatPipeline) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const ctx = new RequestContext(
      acceptRequestId(req.getHeader("x-request-id")),
      "models",
      "",
      req.getHeader("authorization"),
      "",
      performance.now(),
    );
    const problem = pipeline.authenticate(ctx);
    if (problem !== null || ctx.policy === null || ctx.key === null) {
      if (problem !== null) {
        ctx.status = problem.status;
        ctx.errorCode = problem.code;
        writeError(res, ctx.requestId, problem);
      }
      pipeline.account(ctx);
      return;
    }
    ctx.status = 200;
    writeResponse(res, 200, ctx.requestId, JSON_HEADERS, modelListBody(ctx.policy, ctx.key));
    pipeline.account(ctx);
  };
}
