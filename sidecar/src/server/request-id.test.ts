import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { acceptRequestId } from "./request-id";

describe("acceptRequestId", () => {
  it("keeps safe ids and replaces unsafe ones with a uuid", () => {
    assert.equal(acceptRequestId("req-1.a_b:c"), "req-1.a_b:c");
    for (const bad of ["", "a b", "x\r\ny", "é", "a".repeat(129), "<script>"]) {
      assert.match(acceptRequestId(bad), /^[0-9a-f-]{36}$/, JSON.stringify(bad));
    }
  });
});
