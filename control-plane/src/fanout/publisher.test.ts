import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyState } from "../domain/test-fixtures";
import type { PolicyState } from "../domain/types";
import type { Store } from "../store/types";
import { createLogger } from "../telemetry/logger";
import { createMetrics } from "../telemetry/metrics";
import { Broadcaster } from "./broadcaster";
import { createPolicyPublisher } from "./publisher";

function fakeStore(state: { version: number; reads: number }): Store {
  const read = async (): Promise<PolicyState> => {
    state.reads += 1;
    await new Promise((r) => setImmediate(r));
    return emptyState({ version: state.version });
  };
  return { readPolicyState: read } as unknown as Store;
}

test("concurrent refreshes coalesce into at most one extra build and end on the newest version", async () => {
  const state = { version: 1, reads: 0 };
  const broadcaster = new Broadcaster();
  const metrics = createMetrics();
  const publisher = createPolicyPublisher({
    store: fakeStore(state), broadcaster, metrics, logger: createLogger("silent"), openCredential: () => assert.fail("no credentials"),
  });
  await publisher.refresh();
  assert.equal(broadcaster.current?.version, 1);
  state.reads = 0;
  state.version = 5;
  await Promise.all([publisher.refresh(), publisher.refresh(), publisher.refresh(), publisher.refresh()]);
  assert.equal(state.reads, 2, "one running build plus one follow-up for all the calls made meanwhile");
  assert.equal(broadcaster.current?.version, 5);
  assert.match(await metrics.registry.metrics(), /sidegate_cp_policy_version 5/);
  await publisher.refresh();
  assert.equal(broadcaster.current?.version, 5, "same version: nothing new is published");
});
