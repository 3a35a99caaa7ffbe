import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_TAGS, parseTags } from "./tags";

describe("parseTags", () => {
  it("parses k=v pairs and trims them", () => {
    assert.deepEqual(parseTags("feature=search, env = prod"), { feature: "search", env: "prod" });
  });
  it("drops malformed pairs and never throws", () => {
    assert.deepEqual(parseTags("novalue,=x,bad key=1,ok=1,__proto__=x,long=" + "v".repeat(129)), { ok: "1" });
    assert.deepEqual(parseTags(""), {});
  });
  it("keeps at most MAX_TAGS pairs", () => {
    const header = Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(",");
    assert.equal(Object.keys(parseTags(header)).length, MAX_TAGS);
  });
});
