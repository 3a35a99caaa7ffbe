import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort } from "../../bench/lib/net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../support/wait";

const CLI = join(__dirname, "../../cli/sidegate.js");


test("`sidegate dev` (what `npm start` runs) serves the README's curl, then exits 0 on SIGTERM", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-dev-"));
  const [port, grpc, http, mock, metrics] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const demoKey = "sk-sg-devmodetestkey0123456789abcdefghijklmnop";
  const child = spawn(process.execPath, [CLI, "dev", "--data-dir", dataDir], {
    env: {
      PATH: process.env.PATH ?? "",
      SIDEGATE_PORT: String(port),
      SIDEGATE_CP_GRPC: `127.0.0.1:${grpc}`,
      SIDEGATE_CP_HTTP: `127.0.0.1:${http}`,
      SIDEGATE_MOCK_PORT: String(mock),
      SIDEGATE_METRICS_PORT: String(metrics),
      SIDEGATE_DEMO_KEY: demoKey,
      SIDEGATE_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    await waitFor(() => output.includes(demoKey), 20000);
    // The README's curl, verbatim in spirit.
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${demoKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content: "Hello, Sidegate!" }] }),
    });
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.choices[0]?.message.content, "echo: Hello, Sidegate!");
    const metricsText = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
    assert.match(metricsText, /sidegate_/);
    assert.ok(!metricsText.includes(demoKey));
  } finally {
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 10000))]);
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `dev exits 0 on SIGTERM\n${output.slice(-2000)}`);
  }
  assert.ok(!output.includes("pure-JS"), "native uWS loaded");
});

test("`sidegate --help` lists the commands; an unknown command exits 2", async () => {
  const run = (args: string[]): Promise<{ code: number | null; out: string }> =>
    new Promise((resolve) => {
      const c = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      c.stdout.on("data", (d: Buffer) => (out += d.toString()));
      c.stderr.on("data", (d: Buffer) => (out += d.toString()));
      c.on("exit", (code) => resolve({ code, out }));
    });
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  for (const cmd of ["dev", "control-plane", "sidecar", "keys", "teams", "credentials"]) assert.match(help.out, new RegExp(`\\b${cmd}\\b`));
  const bad = await run(["frobnicate"]);
  assert.equal(bad.code, 2);
});
