import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import type { Client } from "@grpc/grpc-js";
import { DEFAULT_FAIL_MODES } from "../limiter/fail-mode";
import { Limiter } from "../limiter/limiter";
import { createLogger } from "../telemetry/logger";
import { SidecarMetrics } from "../telemetry/metrics";
import { createBackoff } from "../util/backoff";
import { LeaseClient } from "./lease-client";

/** A lease client with a 1 s renewal interval on the given clock and gRPC client. */
function leaseClient(grpc: Client, now: () => number): LeaseClient {
  return new LeaseClient({
    client: grpc,
    sidecarId: "sc",
    token: "t",
    limiter: new Limiter({ burstMs: 10_000, failModes: DEFAULT_FAIL_MODES }),
    renewMs: 1000,
    backoff: createBackoff(10, 100),
    logger: createLogger("silent"),
    metrics: new SidecarMetrics(() => 0),
    now,
  });
}

test("renewEarly asks for a renewal at most once per quarter renewal interval; requestSoon is not rate-limited", () => {
  let now = 10_000;
  const client = leaseClient({} as Client, () => now); // never connected here: start() is not called
  let asked = 0;
  client.requestSoon = () => void asked++;
  for (let i = 0; i < 100; i++) client.renewEarly(); // a burst of refused requests
  assert.equal(asked, 1);
  now += 249;
  client.renewEarly();
  assert.equal(asked, 1, "still within 250 ms of the last early renewal");
  now += 1;
  client.renewEarly();
  assert.equal(asked, 2);
  client.close();
});

test("leaseMissing: one lease request per quarter renewal interval, and a wish made mid-request is sent on its answer", async () => {
  let now = 10_000;
  const writes: { seq: number }[] = [];
  const call = Object.assign(new EventEmitter(), {
    write: (req: { seq: number }) => void writes.push(req),
    cancel: () => undefined,
    end: () => undefined,
  });
  const client = leaseClient({ makeBidiStreamRequest: () => call } as unknown as Client, () => now);
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  const answer = (seq: number): void => void call.emit("data", { seq, grants: [], live_sidecars: 1 });
  client.start();
  assert.equal(writes.length, 1, "the first request goes out on connect");
  for (let i = 0; i < 50; i++) client.leaseMissing(); // traffic while it is outstanding
  await turn();
  assert.equal(writes.length, 1, "one request outstanding at a time");
  answer(1);
  await turn();
  assert.equal(writes.length, 2, "the wish made while outstanding is sent when the answer arrives");
  answer(2);
  for (let i = 0; i < 50; i++) client.leaseMissing(); // the control plane granted nothing; traffic goes on
  await turn();
  assert.equal(writes.length, 2, "not once per round trip");
  now += 249;
  client.leaseMissing();
  await turn();
  assert.equal(writes.length, 2);
  now += 1;
  client.leaseMissing();
  await turn();
  assert.equal(writes.length, 3, "again after a quarter renewal interval");
  client.close();
});
