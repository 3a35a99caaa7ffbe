import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeToolCallId, encodeToolCallId, localToolCallId } from "./tool-ids";

describe("tool-call id codec", () => {
  const local = localToolCallId("resp-1", 0, 0);

  it("local part is 24 hex, deterministic, distinct per candidate and call index", () => {
    assert.match(local, /^[0-9a-f]{24}$/);
    assert.equal(localToolCallId("resp-1", 0, 0), local);
    const all = new Set([local, localToolCallId("resp-1", 0, 1), localToolCallId("resp-1", 1, 0), localToolCallId("resp-2", 0, 0)]);
    assert.equal(all.size, 4);
  });

  it("no state → plain call_<24>, which decodes to no state", () => {
    const id = encodeToolCallId(local, {});
    assert.equal(id, `call_${local}`);
    assert.deepEqual(decodeToolCallId(id), {});
  });

  it("round-trips a canonical base64 signature byte for byte, and a Gemini id", () => {
    const sig = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37) % 256)).toString("base64");
    const id = encodeToolCallId(local, { thoughtSignature: sig, geminiId: "fc_ü-1" });
    assert.match(id, /^call_[0-9a-f]{24}_[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeToolCallId(id), { geminiId: "fc_ü-1", thoughtSignature: sig });
    // Stored as bytes: about 4/3 of the raw signature bytes, not of its base64 text.
    assert.ok(id.length < sig.length + 60, `id length ${id.length}`);
  });

  it("round-trips a signature that is not canonical base64 as text", () => {
    for (const sig of ["skip_thought_signature_validator", "YWJj", "YWJjZA", "a+b/c==="]) {
      assert.deepEqual(decodeToolCallId(encodeToolCallId(local, { thoughtSignature: sig })), { thoughtSignature: sig }, sig);
    }
  });

  it("ids of other origins decode to no state and never throw", () => {
    for (const id of ["", "call_abc", "call_Ab3dEf5gH7iJ9kL1mN3oP5qR", `call_${local}_`, `call_${local}_!!`, `call_${local}_AAAA`, `call_${local}_ZwH_`, "toolu_01A09q90qw90lq917835lq9", `call_${"G".repeat(24)}_ZwIA`]) {
      assert.deepEqual(decodeToolCallId(id), {}, id);
    }
  });
});
