import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SidecarMetrics } from "./metrics";

function requestSeries(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^sidegate_sidecar_requests_total\{(.*)\} (\d+)$/gm)) out[m[1] as string] = Number(m[2]);
  return out;
}

describe("SidecarMetrics request counts", () => {
  it("counts each (route, status, code) apart, however the requests interleave", async () => {
    const metrics = new SidecarMetrics(() => 0);
    const sequence: Array<[string, number, string]> = [
      ["chat_completions", 200, ""],
      ["chat_completions", 200, ""],
      ["chat_completions", 429, "rate_limit_exceeded"],
      ["chat_completions", 200, ""],
      ["messages", 200, ""],
      ["chat_completions", 429, "rate_limit_exceeded"],
      ["chat_completions", 429, "insufficient_quota"],
      ["messages", 200, ""],
      ["chat_completions", 200, ""],
    ];
    for (const [route, status, code] of sequence) metrics.countRequest(route, status, code);
    const first = requestSeries(await metrics.registry.metrics());
    assert.deepEqual(first, {
      'route="chat_completions",status="200",code=""': 4,
      'route="chat_completions",status="429",code="rate_limit_exceeded"': 2,
      'route="chat_completions",status="429",code="insufficient_quota"': 1,
      'route="messages",status="200",code=""': 2,
    });
    // A scrape re-reads the totals; counting goes on into the same entries.
    metrics.countRequest("chat_completions", 200, "");
    const second = requestSeries(await metrics.registry.metrics());
    assert.equal(second['route="chat_completions",status="200",code=""'], 5);
    assert.equal(second['route="messages",status="200",code=""'], 2);
  });
});
