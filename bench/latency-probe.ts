/**
 * A quick, honest latency probe: the same sequential requests sent directly to the mock provider and through
 * a sidecar (full pipeline: auth, routing, usage accounting to a real control plane), over keep-alive
 * connections. The gateway runs as `sidegate dev` in its own process (what `npm start` runs); this process
 * is only the client. Prints p50/p90/p99 per target and the added latency. Not the benchmark suite: one
 * client, closed loop, no CPU pinning.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort } from "./lib/net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool } from "undici";

interface Summary {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function measure(origin: string, path: string, headers: Record<string, string>, body: string, n: number, stream: boolean): Promise<Summary> {
  const pool = new Pool(origin, { connections: 1, pipelining: 1 });
  const samples: number[] = [];
  for (let i = 0; i < n + 200; i += 1) {
    const t0 = process.hrtime.bigint();
    const res = await pool.request({ method: "POST", path, headers, body });
    if (res.statusCode !== 200) throw new Error(`${origin}: status ${res.statusCode}: ${await res.body.text()}`);
    if (stream) {
      let first = true;
      for await (const _ of res.body) {
        if (first) {
          first = false;
          if (i >= 200) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }
    } else {
      await res.body.arrayBuffer();
      if (i >= 200) samples.push(Number(process.hrtime.bigint() - t0) / 1e6); // first 200 are warm-up
    }
  }
  await pool.close();
  return summarize(samples);
}


interface DevGateway {
  sidecarUrl: string;
  mockUrl: string;
  key: string;
  stop(): Promise<void>;
}

async function startDevGateway(): Promise<DevGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-probe-"));
  const [port, grpc, http, mock] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const key = "sk-sg-latencyprobe0000000000000000000000000000";
  const child = spawn(process.execPath, [join(__dirname, "../cli/sidegate.js"), "dev", "--data-dir", dataDir], {
    env: {
      PATH: process.env.PATH ?? "",
      SIDEGATE_PORT: String(port),
      SIDEGATE_CP_GRPC: `127.0.0.1:${grpc}`,
      SIDEGATE_CP_HTTP: `127.0.0.1:${http}`,
      SIDEGATE_MOCK_PORT: String(mock),
      SIDEGATE_METRICS_PORT: "0",
      SIDEGATE_DEMO_KEY: key,
      SIDEGATE_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  for (let i = 0; !out.includes(key); i += 1) {
    if (i > 400 || child.exitCode !== null) throw new Error(`sidegate dev did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    sidecarUrl: `http://127.0.0.1:${port}`,
    mockUrl: `http://127.0.0.1:${mock}`,
    key,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function runLatencyProbe(n = Number(process.env.PROBE_REQUESTS ?? 3000)): Promise<void> {
  const gw = await startDevGateway();
  try {
    const payload = (stream: boolean): string =>
      JSON.stringify({ model: "mock-echo", stream, messages: [{ role: "user", content: "a short question about latency" }] });
    const fmt = (s: Summary): string => `p50 ${s.p50.toFixed(3)} ms  p90 ${s.p90.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms`;
    for (const stream of [false, true]) {
      const direct = await measure(gw.mockUrl, "/v1/chat/completions", { "content-type": "application/json" }, payload(stream), n, stream);
      const via = await measure(
        gw.sidecarUrl,
        "/v1/chat/completions",
        { "content-type": "application/json", authorization: `Bearer ${gw.key}` },
        payload(stream),
        n,
        stream,
      );
      const label = stream ? "stream (time to first byte)" : "non-stream (full response)";
      process.stdout.write(`${label}, ${n} sequential requests\n`);
      process.stdout.write(`  direct to mock   ${fmt(direct)}\n`);
      process.stdout.write(`  through sidecar  ${fmt(via)}\n`);
      process.stdout.write(`  added            p50 +${(via.p50 - direct.p50).toFixed(3)} ms  p99 +${(via.p99 - direct.p99).toFixed(3)} ms\n`);
    }
  } finally {
    await gw.stop();
  }
}

if (require.main === module) {
  runLatencyProbe().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
