import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

type Created = { id: string; key: string; display: string; previous_secrets_expire_at: string[]; expires_at: string | null };

async function models(url: string, key: string): Promise<{ status: number; code: string | undefined }> {
  const res = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json()) as { error?: { code: string; type: string } };
  return { status: res.status, code: body.error?.code };
}

/** Every sidecar answers `status` (and `code`) for `key`, polled up to `timeoutMs`. */
async function everySidecar(stack: Stack, key: string, status: number, code: string | undefined, timeoutMs: number): Promise<void> {
  for (const sc of stack.sidecars) {
    await waitFor(async () => {
      const r = await models(sc.url, key);
      return r.status === status && r.code === code;
    }, timeoutMs);
  }
}

describe("key rotation with a grace period, and expiry", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sidecars: 2 });
  });
  after(async () => stack.close());

  test("after a rotation both secrets work on every sidecar; the old one stops after the grace period, the new one keeps working", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", name: "rotating" })) as Created;
    await everySidecar(stack, created.key, 200, undefined, 1000);

    const rotated = (await stack.admin.ok("POST", `/api/v1/keys/${created.id}/rotate`, { grace_seconds: 2 })) as Created;
    assert.equal(rotated.id, created.id);
    assert.notEqual(rotated.key, created.key);
    assert.equal(rotated.display, `sk-sg-…${rotated.key.slice(-4)}`);
    assert.equal(rotated.previous_secrets_expire_at.length, 1);

    await everySidecar(stack, rotated.key, 200, undefined, 1000);
    for (const sc of stack.sidecars) assert.equal((await models(sc.url, created.key)).status, 200, "old secret still works inside the grace period");

    await everySidecar(stack, created.key, 401, "key_expired", 5000);
    for (const sc of stack.sidecars) assert.equal((await models(sc.url, rotated.key)).status, 200, "new secret unaffected");

    const listed = (await stack.admin.ok("GET", `/api/v1/keys/${created.id}`)) as Created;
    assert.deepEqual(listed.previous_secrets_expire_at, [], "expired grace windows are no longer listed");
    assert.ok(!JSON.stringify(listed).includes(rotated.key));
  });

  test("grace_seconds 0 stops the old secret at once; revoking a rotated key stops every secret", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo" })) as Created;
    await everySidecar(stack, created.key, 200, undefined, 1000);
    const rotated = (await stack.admin.ok("POST", `/api/v1/keys/${created.id}/rotate`, { grace_seconds: 0 })) as Created;
    await everySidecar(stack, created.key, 401, "invalid_api_key", 1000);
    await everySidecar(stack, rotated.key, 200, undefined, 1000);

    const again = (await stack.admin.ok("POST", `/api/v1/keys/${created.id}/rotate`, { grace_seconds: 600 })) as Created;
    await everySidecar(stack, again.key, 200, undefined, 1000);
    await stack.admin.ok("DELETE", `/api/v1/keys/${created.id}`);
    await everySidecar(stack, again.key, 401, "invalid_api_key", 1000);
    await everySidecar(stack, rotated.key, 401, "invalid_api_key", 1000);
    const r = await stack.admin.call("POST", `/api/v1/keys/${created.id}/rotate`, {});
    assert.equal(r.status, 409, "a revoked key cannot be rotated");
  });

  test("a key past its expires_at gets 401 key_expired on every sidecar (checked by the sidecar's own clock)", async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo", expires_at: expiresAt })) as Created;
    assert.equal(created.expires_at, expiresAt);
    await everySidecar(stack, created.key, 200, undefined, 1000);
    await everySidecar(stack, created.key, 401, "key_expired", 5000);
    const got = (await stack.admin.ok("GET", `/api/v1/keys/${created.id}`)) as { status: string };
    assert.equal(got.status, "expired");
  });

  test("rotation validates its body and 404s an unknown key", async () => {
    const created = (await stack.admin.ok("POST", "/api/v1/keys", { team_id: "demo" })) as Created;
    const bad = await stack.admin.call("POST", `/api/v1/keys/${created.id}/rotate`, { grace_seconds: -1 });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { code: string } }).error.code, "validation_failed");
    assert.equal((await stack.admin.call("POST", "/api/v1/keys/nope/rotate", {})).status, 404);
  });
});
