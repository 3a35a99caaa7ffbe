import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, type Stack } from "../support/stack";
import { loadCorpus } from "./corpus";
import { payloadBytes, sendGrpcCase, type GrpcCase } from "./grpc-cases";

let stack: Stack;
let target: string;

before(async () => {
  stack = await startStack({ logLevel: "silent" });
  target = `127.0.0.1:${stack.cp.grpcPort}`;
});

after(async () => {
  await stack.close();
});

const CONTROL: GrpcCase = {
  name: "liveness",
  method: "/sidegate.v1.PolicyService/Watch",
  stream: "server",
  auth: "ok",
  payload: { type: "WatchRequest", message: { sidecar_id: "probe" } },
  expect: ["DATA"],
};

test("gRPC services: every corpus case ends with its status, nothing crashes or stalls", async () => {
  const problems: string[] = [];
  for (const c of loadCorpus<GrpcCase>("grpc.json")) {
    const outcome = await sendGrpcCase(target, stack.sidecarToken, c, payloadBytes(c.payload), 5000);
    if (!c.expect.includes(outcome)) problems.push(`${c.name}: ${outcome}, expected ${c.expect.join("|")}`);
    const alive = await sendGrpcCase(target, stack.sidecarToken, CONTROL, payloadBytes(CONTROL.payload), 5000);
    if (alive !== "DATA") problems.push(`${c.name}: the control plane stopped answering Watch (${alive})`);
  }
  assert.deepEqual(problems, []);
  assert.ok(stack.sidecar.isReady(), "the sidecar's own streams survived");
});
