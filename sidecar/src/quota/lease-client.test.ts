import assert from "node:assert/strict";
import { test } from "node:test";
import type { Client } from "@grpc/grpc-js";
import { DEFAULT_FAIL_MODES } from "../limiter/fail-mode";
import { Limiter } from "../limiter/limiter";
import { createLogger } from "../telemetry/logger";
import { SidecarMetrics } from "../telemetry/metrics";
import { createBackoff } from "../util/backoff";
import { LeaseClient } from "./lease-client";

test("renewEarly asks for a renewal at most once per quarter renewal interval; requestSoon is not rate-limited", () => {
  let now = 10_000;
  const client = new LeaseClient({
    client: {} as Client, // never connected here: start() is not called
    sidecarId: "sc",
    token: "t",
    limiter: new Limiter({ burstMs: 10_000, failModes: DEFAULT_FAIL_MODES }),
    renewMs: 1000,
    backoff: createBackoff(10, 100),
    logger: createLogger("silent"),
    metrics: new SidecarMetrics(() => 0),
    now: () => now,
  });
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
