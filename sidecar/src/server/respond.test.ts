import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headerLines, responseHead, type LimitHeaderValues } from "./respond";

const NO_LIMITS: LimitHeaderValues = {
  rlLimitRequests: "",
  rlRemainingRequests: "",
  rlResetRequests: "",
  rlLimitTokens: "",
  rlRemainingTokens: "",
  rlResetTokens: "",
  retryAfter: "",
};

describe("responseHead", () => {
  it("renders the status line, x-request-id, limit headers and pairs, one CRLF between lines and none at the end", () => {
    const limits: LimitHeaderValues = {
      ...NO_LIMITS,
      rlLimitRequests: "60",
      rlRemainingRequests: "59",
      rlResetRequests: "1s",
      rlLimitTokens: "1000",
      rlRemainingTokens: "800",
      rlResetTokens: "12ms",
      retryAfter: "3",
    };
    const head = responseHead(429, "req-1", Object.freeze(["content-type", "application/json"]), limits);
    assert.equal(
      head,
      [
        "429 Too Many Requests",
        "x-request-id: req-1",
        "x-ratelimit-limit-requests: 60",
        "x-ratelimit-remaining-requests: 59",
        "x-ratelimit-reset-requests: 1s",
        "x-ratelimit-limit-tokens: 1000",
        "x-ratelimit-remaining-tokens: 800",
        "x-ratelimit-reset-tokens: 12ms",
        "retry-after: 3",
        "content-type: application/json",
      ].join("\r\n"),
    );
  });

  it("writes only the limit groups that are set", () => {
    const head = responseHead(200, "r", [], { ...NO_LIMITS, rlLimitTokens: "10", rlRemainingTokens: "9", rlResetTokens: "0s" });
    assert.equal(head, "200 OK\r\nx-request-id: r\r\nx-ratelimit-limit-tokens: 10\r\nx-ratelimit-remaining-tokens: 9\r\nx-ratelimit-reset-tokens: 0s");
    assert.equal(responseHead(404, "r", [], null), "404 Not Found\r\nx-request-id: r");
  });
  it("echoes the request id under the dialect's extra names, after the limit headers and before the pairs", () => {
    const head = responseHead(200, "req-9", Object.freeze(["content-type", "application/json"]), { ...NO_LIMITS, retryAfter: "2" }, ["request-id"]);
    assert.equal(head, "200 OK\r\nx-request-id: req-9\r\nretry-after: 2\r\nrequest-id: req-9\r\ncontent-type: application/json");
  });
});

describe("headerLines", () => {
  it("leaves out a pair whose name or value would split the head", () => {
    const lines = headerLines(["a", "1", "b", "2\r\nset-cookie: x=1", "c\n", "3", "d", "4\r", "e", "5"]);
    assert.equal(lines, "\r\na: 1\r\ne: 5");
  });

  it("renders a frozen list once and an unfrozen one every time", () => {
    const frozen = Object.freeze(["x-sidegate-deployment", "mock"]);
    assert.equal(headerLines(frozen), "\r\nx-sidegate-deployment: mock");
    assert.equal(headerLines(frozen), headerLines(frozen));
    const open = ["x-a", "1"];
    assert.equal(headerLines(open), "\r\nx-a: 1");
    open[1] = "2";
    assert.equal(headerLines(open), "\r\nx-a: 2");
  });
});
