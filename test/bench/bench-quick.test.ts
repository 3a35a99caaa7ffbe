import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchReport, PointSummary } from "../../bench/lib/report-types";
import { translationAvailability } from "../../bench/targets/anthropic";

const RUN = join(__dirname, "../../bench/run.js");
const TARGETS = ["direct", "sidegate", "bare-uws"];
const SCENARIOS = ["max-throughput", "fixed-rate", "streaming", "open-streams", "translation"];
const LINUX = process.platform === "linux";

function runQuick(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", RUN, "--quick", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

function assertNumbers(p: PointSummary, keys: readonly string[], where: string): void {
  for (const key of keys) {
    const v = p.median[key];
    assert.ok(typeof v === "number" && Number.isFinite(v), `${where}: ${key} is ${String(v)}`);
  }
}

test("`node dist/bench/run.js --quick` writes JSON, markdown and SVG for every target and scenario, with zero errors", { timeout: 150_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "sidegate-bench-quick-"));
  try {
    const { code, output } = await runQuick(out);
    assert.equal(code, 0, output.slice(-4000));
    const report = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as BenchReport;
    const markdown = readFileSync(join(out, "latest.md"), "utf8");
    const svg = readFileSync(join(out, "latest.svg"), "utf8");

    assert.equal(report.mode, "quick");
    for (const id of TARGETS) assert.ok(report.targets.some((t) => t.id === id), `target ${id} in the report`);
    assert.deepEqual(report.scenarios.map((s) => s.id), SCENARIOS);
    const translation = translationAvailability();
    for (const s of report.scenarios) {
      if (s.id === "translation" && !translation.available) {
        assert.equal(s.status, "skipped");
        assert.match(s.reason, /not available yet/);
        assert.ok(markdown.includes(s.reason), "the skip reason is in the markdown");
        continue;
      }
      assert.equal(s.status, "ok", `${s.id}: ${s.reason}`);
      const targets = s.id === "translation" ? ["direct-anthropic", "sidegate-translated"] : TARGETS;
      for (const target of targets) {
        const points = s.points.filter((p) => p.target === target);
        assert.ok(points.length > 0, `${s.id}: ${target} measured`);
        for (const p of points) {
          const where = `${s.id} ${p.point} ${target}`;
          assert.equal(p.skipped, null, `${where} skipped: ${p.skipped}`);
          assert.equal(p.median.errors, 0, `${where}: errors ${JSON.stringify(p.errorKinds)}`);
          assert.ok((p.median.ok ?? 0) > 0, `${where}: no successful request`);
          assertNumbers(p, ["achievedRps", "latency.p50", "latency.p90", "latency.p99", "latency.p999", "loadSideCpuPct"], where);
          const isProxy = !target.startsWith("direct");
          if (isProxy && LINUX) assertNumbers(p, ["proxyCpuUsPerReq", "proxyCpuPct", "proxyRssPeakMb"], where);
          if (isProxy && s.id === "fixed-rate") assertNumbers(p, ["added.latency.p50", "added.latency.p99"], where);
          if (isProxy && s.id === "streaming") assertNumbers(p, ["ttfb.p50", "gap.p50", "added.ttfb.p50", "added.gap.p99"], where);
          if (isProxy && s.id === "open-streams" && LINUX) assertNumbers(p, ["rssIdleMb", "rssOpenMb"], where);
        }
      }
      assert.ok(markdown.includes(s.title), `markdown has the ${s.id} section`);
    }
    const rates = report.scenarios.find((s) => s.id === "fixed-rate")?.points.map((p) => p.point) ?? [];
    for (const rate of report.settings.rates as number[]) assert.ok(rates.includes(`${rate} rps`), `fixed rate ${rate} measured`);

    const sidegate = report.targets.find((t) => t.id === "sidegate");
    const accounted = sidegate?.afterRun.usageRequestsAccounted ?? 0;
    assert.ok(accounted >= (sidegate?.afterRun.requestsSent ?? Infinity), `usage accounted ${accounted} of ${sidegate?.afterRun.requestsSent}`);

    assert.deepEqual(report.microFailures, []);
    for (const group of ["sse scanner", "stream decoder", "request stages", "usage", "response parse"]) {
      assert.ok(report.micro.some((m) => m.group === group && m.opsPerSec > 0), `micro group ${group}`);
    }
    assert.ok(report.goals.length > 0);

    assert.match(markdown, /## Summary/);
    for (const t of report.targets) assert.ok(markdown.includes(t.label), `markdown names ${t.label}`);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<path d="M/);
    for (const t of report.targets.filter((x) => x.id === "sidegate" || x.id === "bare-uws")) assert.ok(svg.includes(t.label), `chart legend has ${t.label}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
