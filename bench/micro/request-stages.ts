/**
 * The synchronous request stages on a policy of 10,000 keys: the key-hash lookup alone (SHA-256 → Map),
 * then the real stage chains — authenticate + content type (before the body), body check + route (after),
 * and the limit stage (admission and settlement against leased limits of every kind).
 */
import { createHash, randomBytes } from "node:crypto";
import type { PolicySnapshot, VirtualKey } from "../../proto";
import { composeStages } from "../../sidecar/src/pipeline/compose";
import { RequestContext } from "../../sidecar/src/pipeline/context";
import { prepareTarget, type PreparedTarget } from "../../sidecar/src/pipeline/policy-types";
import { authenticate } from "../../sidecar/src/pipeline/stages/authenticate";
import { KeyDigests } from "../../sidecar/src/pipeline/stages/key-digests";
import { parseChatBody } from "../../sidecar/src/pipeline/stages/chat-body";
import { checkContentType } from "../../sidecar/src/pipeline/stages/content-type";
import { resolveRoute } from "../../sidecar/src/pipeline/stages/route";
import { limitStage } from "../../sidecar/src/pipeline/stages/limit";
import { settle } from "../../sidecar/src/limiter/admission";
import { DEFAULT_FAIL_MODES } from "../../sidecar/src/limiter/fail-mode";
import { Limiter } from "../../sidecar/src/limiter/limiter";
import { buildPolicyIndex, hashSecret } from "../../sidecar/src/policy/snapshot";
import { PolicyStore } from "../../sidecar/src/policy/store";
import type { MicroCase } from "./harness";
import { chatRequestBody } from "./inputs";

const KEYS = 10_000;
const MODEL = "gpt-4o";

function snapshot(secrets: string[]): PolicySnapshot {
  const keys: VirtualKey[] = secrets.map((s, i) => ({
    id: `key-${i}`,
    hash: createHash("sha256").update(s, "utf8").digest(),
    team_id: "bench",
    user_id: "",
    project_id: "",
    allowed_models: [],
    expires_at_ms: 0,
    metadata: {},
    display: `sk-sg-…${s.slice(-4)}`,
    previous_hashes: [],
  }));
  return {
    teams: [{
      id: "bench", name: "bench", allowed_models: [], metadata: {},
      // Every kind of limit, high enough never to reject: the cost of checking them all.
      limits: {
        rpm: 4_000_000_000, tpm: 1e15, max_concurrent: 4_000_000_000,
        budgets: [{ id: "b", limit_usd: 1e12, period: "month", hard: true, timezone: "" }],
        model_limits: { [MODEL]: { rpm: 4_000_000_000, tpm: 1e15, max_concurrent: 0 } },
      },
    }],
    keys,
    routes: [{ model: MODEL, strategy: "priority", targets: [{ deployment_id: "d", weight: 1, priority: 0 }] }],
    deployments: [{ id: "d", provider: "openai", base_url: "http://127.0.0.1:9/v1", upstream_model: "", credential_id: "c", region: "", options: {}, timeout_ms: 0, direct_models: [] }],
    credentials: [{ id: "c", provider: "openai", secrets: { api_key: "sk-upstream-bench" } }],
    prices: [{ model: MODEL, provider: "openai", input_per_mtok: 2.5, output_per_mtok: 10, cached_input_per_mtok: 0, cache_write_per_mtok: 0, reasoning_per_mtok: 0 }],
    price_catalog_version: "",
    global_model_limits: { [MODEL]: { rpm: 4_000_000_000, tpm: 1e15, max_concurrent: 0 } },
  };
}

export function requestStageCases(): MicroCase[] {
  const secrets = Array.from({ length: KEYS }, () => `sk-sg-${randomBytes(32).toString("base64url")}`);
  const store = new PolicyStore<PreparedTarget>();
  store.set(buildPolicyIndex(1, Date.now(), snapshot(secrets), prepareTarget), Date.now());
  const index = store.current;
  if (index === null) throw new Error("policy not built");
  const secret = secrets[KEYS >> 1] as string;
  const authorization = `Bearer ${secret}`;
  const beforeBody = composeStages([authenticate(store), checkContentType]);
  const afterBody = composeStages([parseChatBody, resolveRoute]);
  const body = chatRequestBody(MODEL);
  const context = (): RequestContext => new RequestContext("req-bench", "chat_completions", "/v1/chat/completions", authorization, "application/json", performance.now());
  const mustPass = (err: unknown): void => {
    if (err !== null) throw new Error(`stage rejected the benchmark request: ${JSON.stringify(err)}`);
  };
  mustPass(beforeBody(context()));
  const limiter = new Limiter({ burstMs: 10_000, failModes: DEFAULT_FAIL_MODES });
  limiter.update({ keys: index.keys.values(), teams: index.teamLimits, globalLimits: index.globalLimits }, Date.now());
  limiter.refreshAll(Date.now(), true, 1);
  for (const cell of limiter.all()) {
    cell.grant({ granted: cell.limit, ttlMs: 3_600_000, limit: cell.limit, fallbackShare: 0, remaining: cell.limit, resetInMs: 0 }, Date.now(), 1000);
  }
  limiter.refreshAll(Date.now(), true, 1);
  const limits = limitStage({ limiter, defaultMaxTokens: 4096, wantLease: () => undefined, balanceShort: () => undefined, onReject: () => undefined });
  const routed = (() => {
    const ctx = context();
    mustPass(beforeBody(ctx));
    ctx.body = body;
    mustPass(afterBody(ctx));
    return ctx;
  })();
  const digests = new KeyDigests();
  digests.remember(secret, hashSecret(secret));
  return [
    {
      group: "request stages",
      name: `auth lookup, key first seen: sha256(key) → Map.get (${KEYS.toLocaleString("en-US")} keys)`,
      run: () => index.keys.get(hashSecret(secret)),
    },
    {
      group: "request stages",
      name: `auth lookup, key seen before: remembered digest → Map.get (${KEYS.toLocaleString("en-US")} keys)`,
      run: () => index.keys.get(digests.get(secret) ?? hashSecret(secret)),
    },
    {
      group: "request stages",
      name: "before body: new context + authenticate + content type",
      run: () => beforeBody(context()),
    },
    {
      group: "request stages",
      name: `after body: JSON.parse + check + route (${body.length} B body)`,
      bytesPerOp: body.length,
      run: () => {
        const ctx = context();
        ctx.policy = index;
        ctx.body = body;
        return afterBody(ctx);
      },
    },
    {
      group: "request stages",
      name: "limits: admit + settle, 8 limits (key/team/model/org RPM, TPM, concurrency, budget) + headers",
      run: () => {
        const err = limits(routed);
        const plan = routed.limits;
        if (err !== null || plan === null) throw new Error("limit stage rejected the benchmark request");
        settle(plan, routed.reservedTokens, 20, routed.reservedUsd, 0.0001, Date.now());
        routed.limits = null;
        return routed.rlRemainingRequests;
      },
    },
  ];
}
