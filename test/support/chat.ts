import assert from "node:assert/strict";

/** One chat completion against a sidecar, with the answer's status, headers and parsed body. */
export interface ChatAnswer {
  status: number;
  headers: Headers;
  body: { model?: string; error?: { code: string; type: string; message?: string; param?: string | null } };
}

/** A hard budget refused for a short local share (the budget itself has more): a retryable rate limit. */
export function assertShareShort(a: ChatAnswer): void {
  assert.equal(a.status, 429);
  assert.equal(a.body.error?.code, "rate_limit_exceeded");
  assert.equal(a.body.error?.type, "requests");
  assert.match(a.body.error?.message ?? "", /share of the budget is used up for the moment/);
  assert.equal(a.headers.get("retry-after"), "1");
}

export async function chat(url: string, key: string, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<ChatAnswer> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content }], ...extra }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as ChatAnswer["body"] };
}

/** The raw answer of one chat completion (status, headers, body text), e.g. a stream or a routed model. */
export interface RawChatAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export async function chatText(url: string, key: string, model: string, content: string, stream = false): Promise<RawChatAnswer> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, stream, messages: [{ role: "user", content }] }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
