import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PolicySnapshot } from "../../../proto";
import { SealedBoxError } from "../persist/sealed-box";
import { SNAPSHOT_FILE, SnapshotFile } from "./snapshot-file";

const SECRET = "sk-live-provider-credential-123";
const snapshot = {
  teams: [{ id: "t1", name: "Team" }],
  credentials: [{ id: "c1", provider: "openai", secrets: { api_key: SECRET } }],
} as unknown as PolicySnapshot;

test("the snapshot round-trips sealed: credentials are not readable at rest, a wrong key or damage is refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "sidegate-snap-"));
  try {
    const key = randomBytes(32);
    const file = new SnapshotFile(dir, key);
    assert.equal(file.load(), null);
    file.save(7, 1000, snapshot, 123_456);
    assert.ok(!readFileSync(join(dir, SNAPSHOT_FILE)).includes(Buffer.from(SECRET)));
    const loaded = file.load();
    assert.equal(loaded?.version, 7);
    assert.equal(loaded?.issuedAtMs, 1000);
    assert.equal(loaded?.savedAtMs, 123_456);
    assert.equal(loaded?.snapshot.teams[0]?.id, "t1");
    assert.equal(loaded?.snapshot.credentials[0]?.secrets["api_key"], SECRET);

    assert.throws(() => new SnapshotFile(dir, randomBytes(32)).load(), SealedBoxError);
    const bytes = readFileSync(join(dir, SNAPSHOT_FILE));
    writeFileSync(join(dir, SNAPSHOT_FILE), bytes.subarray(0, bytes.length - 3));
    assert.throws(() => file.load(), SealedBoxError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
