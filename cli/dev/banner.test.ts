import { test } from "node:test";
import assert from "node:assert/strict";
import { devBanner, v1 } from "./banner";

test("v1 appends /v1 once", () => {
  assert.equal(v1("http://127.0.0.1:4000"), "http://127.0.0.1:4000/v1");
  assert.equal(v1("http://127.0.0.1:4000/"), "http://127.0.0.1:4000/v1");
  assert.equal(v1("http://127.0.0.1:4000/v1"), "http://127.0.0.1:4000/v1");
});

test("banner has the URLs, the demo key and a ready-to-paste curl", () => {
  const b = devBanner({
    sidecarUrl: "http://127.0.0.1:4000",
    adminUrl: "http://127.0.0.1:4100",
    mockUrl: "http://127.0.0.1:4010",
    demoKey: "sk-sg-demo",
    adminTokenSource: "/x/.sidegate/admin-token",
    dataDir: "/x/.sidegate",
    models: ["mock-echo"],
  });
  assert.match(b, /http:\/\/127\.0\.0\.1:4000\/v1\n/);
  assert.match(b, /http:\/\/127\.0\.0\.1:4100\/api\/v1/);
  assert.match(b, /\/x\/\.sidegate\/admin-token/);
  assert.match(b, /curl http:\/\/127\.0\.0\.1:4000\/v1\/chat\/completions \\\n {4}-H "Authorization: Bearer sk-sg-demo" \\/);
  const body = /-d '(.*)'/.exec(b)?.[1];
  assert.deepEqual(JSON.parse(body ?? ""), { model: "mock-echo", messages: [{ role: "user", content: "Hello, Sidegate!" }] });
});
