/**
 * A quick, honest latency probe: the same sequential requests sent directly to the mock provider and through
 * a sidecar (full pipeline: auth, routing, usage accounting to a real control plane), over keep-alive
 * connections. Prints p50/p90/p99 per target and the added latency. Not the benchmark suite: one client,
 * closed loop, no CPU pinning.
 */
import { Pool } from "undici";
import { startStack } from "../test/support/stack";

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

export async function runLatencyProbe(n = Number(process.env.PROBE_REQUESTS ?? 3000)): Promise<void> {
  const stack = await startStack();
  try {
    const payload = (stream: boolean): string =>
      JSON.stringify({ model: "mock-echo", stream, messages: [{ role: "user", content: "a short question about latency" }] });
    const fmt = (s: Summary): string => `p50 ${s.p50.toFixed(3)} ms  p90 ${s.p90.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms`;
    for (const stream of [false, true]) {
      const direct = await measure(stack.mock.url, "/v1/chat/completions", { "content-type": "application/json" }, payload(stream), n, stream);
      const via = await measure(
        stack.sidecar.url,
        "/v1/chat/completions",
        { "content-type": "application/json", authorization: `Bearer ${stack.demoKey}` },
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
    await stack.close();
  }
}

if (require.main === module) {
  runLatencyProbe().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
