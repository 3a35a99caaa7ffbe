import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Repository root, from the compiled test location (dist/test/architecture). */
const ROOT = join(__dirname, "../../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

interface FileImports {
  file: string;
  specifiers: string[];
  text: string;
}

function scan(dir: string): FileImports[] {
  return sources(dir).map((file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)["']([^"']+)["']/g)].map((m) => m[1] ?? "");
    return { file: file.split(sep).join("/"), specifiers, text };
  });
}

const sidecar = scan("sidecar/src");
const controlPlane = scan("control-plane/src");

function offenders(files: FileImports[], allowed: (file: string) => boolean, forbidden: (spec: string) => boolean): string[] {
  return files.filter((f) => !allowed(f.file) && f.specifiers.some(forbidden)).map((f) => f.file);
}

test("only sidecar/src/server imports uWebSockets.js", () => {
  assert.deepEqual(offenders(sidecar, (f) => f.startsWith("sidecar/src/server/"), (s) => s === "uWebSockets.js"), []);
});

test("only sidecar/src/upstream imports undici", () => {
  assert.deepEqual(offenders(sidecar, (f) => f.startsWith("sidecar/src/upstream/"), (s) => s.startsWith("undici")), []);
});

test("provider adapters and the SSE scanner are pure: no I/O, no framework, no env", () => {
  const pure = sidecar.filter((f) => f.file.startsWith("sidecar/src/providers/") || f.file.startsWith("sidecar/src/sse/"));
  assert.ok(pure.length > 0);
  const io = /^(node:)?(fs|net|http|https|http2|dgram|child_process|tls|dns)$|^(undici|uWebSockets\.js|pino|prom-client|@grpc\/grpc-js)$/;
  for (const f of pure) {
    assert.deepEqual(f.specifiers.filter((s) => io.test(s)), [], `${f.file} imports I/O`);
    assert.ok(!f.text.includes("process.env"), `${f.file} reads process.env`);
    assert.ok(!/\bset(Timeout|Interval)\(/.test(f.text), `${f.file} uses timers`);
  }
});

test("pino and prom-client are imported only by telemetry/", () => {
  const telemetry = (f: string): boolean => f.includes("/telemetry/");
  const spec = (s: string): boolean => s === "pino" || s === "prom-client";
  assert.deepEqual(offenders(sidecar, telemetry, spec), []);
  assert.deepEqual(offenders(controlPlane, telemetry, spec), []);
});

test("process.env is read only in config/", () => {
  for (const f of [...sidecar, ...controlPlane]) {
    if (f.file.includes("/config/")) continue;
    assert.ok(!f.text.includes("process.env"), `${f.file} reads process.env`);
  }
});

test("sidecar zod use is confined to config/ (hot path uses hand-written checks)", () => {
  assert.deepEqual(offenders(sidecar, (f) => f.includes("/config/"), (s) => s === "zod"), []);
});

test("sidecar and control plane never import each other", () => {
  assert.deepEqual(offenders(sidecar, () => false, (s) => s.includes("control-plane/")), []);
  assert.deepEqual(offenders(controlPlane, () => false, (s) => s.includes("sidecar/")), []);
});

test("core sidecar code never names a vendor outside providers/", () => {
  const vendors = /\b(anthropic|gemini|vertex|bedrock|cohere|mistral|azure)\b/i;
  const core = sidecar.filter((f) => !f.file.startsWith("sidecar/src/providers/"));
  for (const f of core) {
    const code = f.text.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
    assert.ok(!vendors.test(code), `${relative(ROOT, f.file)} names a vendor`);
  }
});
