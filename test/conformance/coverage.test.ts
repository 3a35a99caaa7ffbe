/**
 * The machine-checked coverage map: every providers.md §9 checklist case is covered by a fixture of every
 * adapter it applies to (fixture field `covers`), or is listed in checklist.ts as covered elsewhere (the named
 * test files exist and mention `checklist #<id>`), not applicable (with evidence), or pending on another surface.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PROVIDERS } from "../../sidecar/src/providers/registry";
import { OPENAI_COMPATIBLE_VENDORS } from "../../sidecar/src/providers/openai-compatible/vendors";
import { CHECKLIST, CHECKLIST_SIZE } from "./checklist";
import { loadFixtures } from "./runner";

const ROOT = join(__dirname, "../../..");
const PROVIDERS_DIR = join(ROOT, "sidecar/src/providers");

/** Registry id → its conformance fixture directory (the ones the adapters' conformance.test.ts files run). */
export const FIXTURE_DIRS: Readonly<Record<string, string>> = Object.freeze({
  openai: "openai-compatible/fixtures",
  anthropic: "anthropic/fixtures",
  gemini: "gemini/fixtures",
  vertex: "gemini/fixtures-vertex",
  "azure-openai": "azure-openai/fixtures",
  cohere: "cohere/fixtures",
  bedrock: "bedrock/fixtures",
  ...Object.fromEntries(Object.keys(OPENAI_COMPATIBLE_VENDORS).map((id) => [id, `openai-compatible/vendor-fixtures/${id}`])),
});

function coverage(): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const [adapter, dir] of Object.entries(FIXTURE_DIRS)) {
    const ids = new Set<number>();
    for (const { file, fixture } of loadFixtures(join(PROVIDERS_DIR, dir))) {
      const covers: unknown = (fixture as { covers?: unknown }).covers;
      assert.ok(Array.isArray(covers), `${dir}/${file}: a fixture names the checklist ids it covers ("covers": [] for none)`);
      for (const id of covers) {
        assert.ok(Number.isInteger(id) && id >= 1 && id <= CHECKLIST_SIZE, `${dir}/${file}: covers ${String(id)} is not a checklist id`);
        ids.add(id as number);
      }
    }
    out.set(adapter, ids);
  }
  return out;
}

describe("conformance checklist coverage", () => {
  const covered = coverage();

  it("every registry adapter has a fixture directory", () => {
    for (const id of Object.keys(PROVIDERS)) assert.ok(FIXTURE_DIRS[id] !== undefined, `no fixture directory for ${id}`);
  });

  it("lists every checklist id exactly once", () => {
    const ids = Object.keys(CHECKLIST).map(Number).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: CHECKLIST_SIZE }, (_, i) => i + 1));
  });

  for (let id = 1; id <= CHECKLIST_SIZE; id += 1) {
    const entry = CHECKLIST[id];
    it(`#${id} ${entry?.title ?? ""}`, (t) => {
      assert.ok(entry !== undefined);
      if ("adapters" in entry) {
        assert.ok(entry.adapters.length > 0, "an applicable case names at least one adapter");
        const missing = entry.adapters.filter((a) => !(covered.get(a)?.has(id) ?? false));
        for (const a of entry.adapters) assert.ok(covered.has(a), `${a} is not a registry adapter with fixtures`);
        assert.deepEqual(missing, [], `checklist #${id} has no fixture for ${missing.join(", ")}`);
      } else if ("elsewhere" in entry) {
        assert.ok(entry.reason.length > 0);
        for (const file of entry.elsewhere) {
          const path = join(ROOT, file);
          assert.ok(existsSync(path), `${file} (covering #${id}) exists`);
          assert.ok(readFileSync(path, "utf8").includes(`checklist #${id}`), `${file} mentions "checklist #${id}"`);
        }
      } else if ("notApplicable" in entry) {
        assert.ok(entry.notApplicable.length > 0);
        assert.ok(existsSync(join(ROOT, entry.evidence)), `${entry.evidence} exists`);
      } else {
        assert.ok(entry.pending.length > 0);
        t.diagnostic(`checklist #${id} pending: ${entry.pending}`);
      }
    });
  }
});
