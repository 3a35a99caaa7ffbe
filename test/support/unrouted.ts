/**
 * A policy with one key and no routes, for usage tests against the fake control plane: every request is
 * answered 404 model_not_found and still accounted (one usage record each).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { PolicySnapshot } from "../../proto";
import { FakeControlPlane } from "../fakes/fake-control-plane";

export function unroutedSnapshot(key: string): PolicySnapshot {
  return {
    teams: [{ id: "t", name: "T", allowed_models: [], metadata: {} }],
    keys: [{ id: "k", hash: createHash("sha256").update(key).digest(), team_id: "t", user_id: "", project_id: "", allowed_models: [], expires_at_ms: 0, metadata: {}, display: "k" }],
    routes: [], deployments: [], credentials: [], prices: [], price_catalog_version: "test",
  } as unknown as PolicySnapshot;
}

/** One accounted request with `requestId` (asserted 404: the snapshot routes nothing). */
export async function sendUnrouted(sidecarUrl: string, key: string, requestId: string): Promise<void> {
  const res = await fetch(`${sidecarUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify({ model: "unrouted", messages: [{ role: "user", content: "x" }] }),
  });
  assert.equal(res.status, 404);
  await res.arrayBuffer();
}

/** A started fake control plane serving `unroutedSnapshot(key)` as policy version 1. */
export async function unroutedControlPlane(token: string, key: string): Promise<FakeControlPlane> {
  const cp = new FakeControlPlane(token);
  await cp.start();
  cp.publish(1, unroutedSnapshot(key));
  return cp;
}
