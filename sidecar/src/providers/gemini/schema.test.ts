import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isEmptyObjectSchema, toGeminiSchema } from "./schema";

describe("toGeminiSchema", () => {
  it("upper-cases types and drops unsupported keywords", () => {
    const input = { type: "object", additionalProperties: false, $schema: "x", $id: "y", title: "T", properties: { a: { type: "string", default: "d", examples: ["e"], minLength: 1 } } };
    assert.deepEqual(toGeminiSchema(input), { title: "T", type: "OBJECT", properties: { a: { type: "STRING", minLength: 1 } } });
    assert.equal(input.properties.a.default, "d", "input is not mutated");
  });

  it("inlines $ref from $defs and definitions, with siblings overriding", () => {
    const s = { definitions: { P: { type: "integer", description: "orig" } }, $defs: { Q: { type: "boolean" } }, type: "object", properties: { p: { $ref: "#/definitions/P", description: "here" }, q: { $ref: "#/$defs/Q" } } };
    assert.deepEqual(toGeminiSchema(s), { type: "OBJECT", properties: { p: { type: "INTEGER", description: "here" }, q: { type: "BOOLEAN" } } });
  });

  it("breaks recursive $ref cycles and survives unresolvable refs", () => {
    const s = { $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } }, $ref: "#/$defs/Node" };
    assert.deepEqual(toGeminiSchema(s), { type: "OBJECT", properties: { next: { type: "OBJECT", description: "see #/$defs/Node" } } });
    assert.deepEqual(toGeminiSchema({ $ref: "https://example.com/s.json" }), { type: "OBJECT", description: "see https://example.com/s.json" });
  });

  it("nullable unions: type arrays, anyOf/oneOf with null", () => {
    assert.deepEqual(toGeminiSchema({ type: ["string", "null"] }), { type: "STRING", nullable: true });
    assert.deepEqual(toGeminiSchema({ anyOf: [{ type: "number" }, { type: "null" }] }), { nullable: true, type: "NUMBER" });
    assert.deepEqual(toGeminiSchema({ type: ["string", "integer"] }), { anyOf: [{ type: "STRING" }, { type: "INTEGER" }] });
    assert.deepEqual(toGeminiSchema({ oneOf: [{ type: "string" }, { type: "object", properties: { a: { type: "string" } } }] }), {
      anyOf: [{ type: "STRING" }, { type: "OBJECT", properties: { a: { type: "STRING" } } }],
    });
  });

  it("const/enum become string enums; formats are filtered per type", () => {
    assert.deepEqual(toGeminiSchema({ const: 3 }), { enum: ["3"], type: "STRING" });
    assert.deepEqual(toGeminiSchema({ type: "string", enum: ["a", null] }), { type: "STRING", nullable: true, enum: ["a"] });
    assert.deepEqual(toGeminiSchema({ type: "string", format: "email" }), { type: "STRING" });
    assert.deepEqual(toGeminiSchema({ type: "integer", format: "int64" }), { type: "INTEGER", format: "int64" });
  });

  it("merges allOf, filters required to declared properties, converts items", () => {
    const s = { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { type: "array", items: { type: "number" } } }, required: ["b", "zz"] }] };
    assert.deepEqual(toGeminiSchema(s), { type: "OBJECT", properties: { a: { type: "STRING" }, b: { type: "ARRAY", items: { type: "NUMBER" } } }, required: ["a", "b"] });
  });

  it("detects argument-less object schemas", () => {
    assert.equal(isEmptyObjectSchema(toGeminiSchema({ type: "object", properties: {} })), true);
    assert.equal(isEmptyObjectSchema(toGeminiSchema({ type: "object" })), true);
    assert.equal(isEmptyObjectSchema(toGeminiSchema({ type: "object", properties: { a: { type: "string" } } })), false);
    assert.deepEqual(toGeminiSchema("nope"), { type: "OBJECT" });
  });
});
