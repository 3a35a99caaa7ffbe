import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { generate, GENERATED_PATH } from "../../proto/codegen";
import { serviceDefinition, SERVICES } from "../../proto";

test("proto/gen/types.ts matches the .proto sources", () => {
  assert.equal(readFileSync(GENERATED_PATH, "utf8"), generate(), "run `npm run proto:gen`");
});

test("every service builds a grpc-js definition and round-trips a message", () => {
  for (const name of SERVICES) {
    const def = serviceDefinition(name);
    assert.ok(Object.keys(def).length > 0, name);
  }
  const watch = serviceDefinition("PolicyService").Watch;
  assert.ok(watch);
  const bytes = watch.responseSerialize({ version: 7, snapshot: { keys: [{ id: "k1", hash: Buffer.alloc(32, 1) }] } });
  const back = watch.responseDeserialize(bytes) as { version: number; body: string; snapshot: { keys: { id: string; hash: Buffer }[] } };
  assert.equal(back.version, 7);
  assert.equal(back.body, "snapshot");
  assert.equal(back.snapshot.keys[0]?.id, "k1");
  assert.equal(back.snapshot.keys[0]?.hash.length, 32);
});

test("serializing an ill-typed message fails loudly instead of sending garbage", () => {
  const report = serviceDefinition("UsageService").Report;
  assert.ok(report);
  assert.throws(() => report.requestSerialize({ seq: "not-a-number" }));
});
