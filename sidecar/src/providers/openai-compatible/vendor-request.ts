import type { ChatInput } from "../types";
import { isRecord } from "./bytes";
import { applyFieldRules, checkFieldRules } from "./field-rules";
import { chatBodyFor } from "./request";
import { alnum9 } from "./tool-call-ids";
import type { FieldRule, VendorQuirks } from "./vendor-quirks";

/** The vendor's field rules with the derived ones added (max-tokens naming, `stream_options` when unused). */
export function effectiveFieldRules(q: VendorQuirks): Readonly<Record<string, FieldRule>> {
  const rules: Record<string, FieldRule> = { ...q.fields };
  if (q.maxTokens === "max_tokens") rules["max_completion_tokens"] ??= { action: "rename", to: "max_tokens" };
  if (q.streamUsage === "final-chunk") rules["stream_options"] ??= { action: "drop" };
  return Object.freeze(rules);
}

/**
 * Request body for a vendor: the client's bytes unchanged (or with only `stream_options.include_usage`
 * injected / the model renamed, as for OpenAI) unless the request contains a field or message shape the
 * vendor's quirks say to drop/rename/rewrite; rejected fields throw `invalid_request` with the field as param.
 */
export function createVendorBody(q: VendorQuirks): (input: ChatInput) => Uint8Array {
  const rules = effectiveFieldRules(q);
  const entries = Object.entries(rules);
  const requestUsage = q.streamUsage === "include_usage";
  return (input) => {
    const json = input.json;
    const rewrite = checkFieldRules(json, entries);
    const messages = rewriteMessages(json["messages"], q);
    if (!rewrite && messages === null) return chatBodyFor(input, input.upstreamModel, requestUsage);
    const copy: Record<string, unknown> = { ...json, model: input.upstreamModel };
    applyFieldRules(copy, entries);
    if (messages !== null) copy["messages"] = messages;
    if (requestUsage && input.stream && !input.clientIncludeUsage) {
      const current = copy["stream_options"];
      copy["stream_options"] = { ...(isRecord(current) ? current : {}), include_usage: true };
    }
    return Buffer.from(JSON.stringify(copy));
  };
}

/** The messages rewritten per the quirks, or null when nothing in them needs to change. */
export function rewriteMessages(messages: unknown, q: VendorQuirks): unknown[] | null {
  if (!Array.isArray(messages)) return null;
  let changed = false;
  let out: unknown[] = messages.map((m) => {
    if (!isRecord(m)) return m;
    const fixed = fixMessage(m, q);
    if (fixed !== m) changed = true;
    return fixed;
  });
  if (q.mergeConsecutiveRoles) {
    const merged = mergeRoles(out);
    if (merged.length !== out.length) {
      changed = true;
      out = merged;
    }
  }
  return changed ? out : null;
}

function fixMessage(m: Record<string, unknown>, q: VendorQuirks): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  const edit = (): Record<string, unknown> => (copy ??= { ...m });
  for (const field of q.dropMessageFields) if (m[field] !== undefined) delete edit()[field];
  if (q.toolCallIds === "alnum9") {
    const id = m["tool_call_id"];
    if (typeof id === "string" && alnum9(id) !== id) edit()["tool_call_id"] = alnum9(id);
    const calls = m["tool_calls"];
    if (Array.isArray(calls) && calls.some((c) => isRecord(c) && typeof c["id"] === "string" && alnum9(c["id"]) !== c["id"])) {
      edit()["tool_calls"] = calls.map((c) => (isRecord(c) && typeof c["id"] === "string" ? { ...c, id: alnum9(c["id"]) } : c));
    }
  }
  return copy ?? m;
}

/** Merges runs of same-role user/assistant/system messages without tool calls (content joined by a blank line). */
function mergeRoles(messages: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const m of messages) {
    const prev = out[out.length - 1];
    if (isRecord(m) && isRecord(prev) && mergeable(prev, m)) {
      out[out.length - 1] = { ...prev, content: joinContent(prev["content"], m["content"]) };
    } else out.push(m);
  }
  return out;
}

function mergeable(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return a["role"] === b["role"] && a["role"] !== "tool" && a["tool_calls"] === undefined && b["tool_calls"] === undefined;
}

function joinContent(a: unknown, b: unknown): unknown {
  if (typeof a === "string" && typeof b === "string") return `${a}\n\n${b}`;
  const parts = (c: unknown): unknown[] => (Array.isArray(c) ? c : typeof c === "string" ? [{ type: "text", text: c }] : []);
  return [...parts(a), ...parts(b)];
}
