import { test } from "node:test";
import assert from "node:assert/strict";
import { createRouter } from "./router";
import type { RouteDef } from "./types";

const def = (method: RouteDef["method"], path: string): RouteDef => ({
  method, path, name: `${method} ${path}`, auth: true, summary: "", responses: {}, handler: async () => ({ status: 200, body: null }),
});

const route = createRouter([
  def("GET", "/api/v1/teams"),
  def("POST", "/api/v1/teams"),
  def("GET", "/api/v1/teams/:id"),
  def("PUT", "/api/v1/teams/:id"),
  def("GET", "/api/v1/routes/*model"),
]);

test("matches literals and params, decoding segments", () => {
  const m = route("GET", "/api/v1/teams/a%2Eb");
  assert.equal(m.kind, "found");
  assert.deepEqual(m.kind === "found" && m.params, { id: "a.b" });
  assert.equal(route("POST", "/api/v1/teams/").kind, "found");
});

test("rest params keep slashes, encoded or not", () => {
  const a = route("GET", "/api/v1/routes/openai/gpt-4o:latest");
  const b = route("GET", "/api/v1/routes/openai%2Fgpt-4o%3Alatest");
  assert.deepEqual(a.kind === "found" && a.params, { model: "openai/gpt-4o:latest" });
  assert.deepEqual(b.kind === "found" && b.params, { model: "openai/gpt-4o:latest" });
});

test("405 lists allowed methods, 404 otherwise", () => {
  assert.deepEqual(route("DELETE", "/api/v1/teams"), { kind: "method_not_allowed", allowed: ["GET", "POST"] });
  assert.deepEqual(route("GET", "/api/v1/nope"), { kind: "not_found" });
  assert.deepEqual(route("GET", "/api/v1/teams/a/b"), { kind: "not_found" });
  assert.deepEqual(route("GET", "/api/v1/teams/%E0%A4%A"), { kind: "not_found" });
});
