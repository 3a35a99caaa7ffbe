import { test } from "node:test";
import assert from "node:assert/strict";
import { argsFromSchema, selectToolCalls, splitArguments } from "./tool-calls";

const weather = { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } };
const time = { name: "get_time", parameters: {} };

test("tool_choice naming a function selects it", () => {
  assert.deepEqual(selectToolCalls([weather, time], { name: "get_time" }, "hello"), [time]);
  assert.deepEqual(selectToolCalls([weather], { name: "missing" }, "hello"), []);
});

test("required picks the first tool unless the text names some", () => {
  assert.deepEqual(selectToolCalls([weather, time], "required", "hello"), [weather]);
  assert.deepEqual(selectToolCalls([weather, time], "required", "call get_time"), [time]);
});

test("`call <name>` in the text selects tools in order of appearance", () => {
  assert.deepEqual(selectToolCalls([weather, time], undefined, "please call get_time then call get_weather"), [time, weather]);
  assert.deepEqual(selectToolCalls([weather], "auto", "call get_weathers"), []);
  assert.deepEqual(selectToolCalls([weather], "none", "call get_weather"), []);
  assert.deepEqual(selectToolCalls([], "required", "call get_weather"), []);
});

test("argsFromSchema builds deterministic values", () => {
  const args = argsFromSchema({
    type: "object",
    properties: {
      s: { type: "string" },
      n: { type: "number" },
      i: { type: "integer" },
      b: { type: "boolean" },
      e: { type: "string", enum: ["c", "f"] },
      o: { type: "object", properties: { x: { type: ["null", "number"] } } },
      a: { type: "array", items: { type: "boolean" } },
    },
  });
  assert.deepEqual(args, { s: "mock", n: 1, i: 1, b: true, e: "c", o: { x: 1 }, a: [true] });
  assert.deepEqual(argsFromSchema(undefined), {});
});

test("splitArguments keeps the string when rejoined", () => {
  const s = JSON.stringify({ city: "mock", days: 1 });
  const parts = splitArguments(s);
  assert.equal(parts.length, 3);
  assert.equal(parts.join(""), s);
  assert.deepEqual(splitArguments("{}"), ["{", "}"]);
  assert.deepEqual(splitArguments(""), []);
});
