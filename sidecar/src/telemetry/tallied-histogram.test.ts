import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Histogram, Registry } from "prom-client";
import { TalliedHistogram } from "./tallied-histogram";

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 1, 10];
const OBSERVED: Array<[string, number]> = [
  ["openai", 0.0004], ["openai", 0.001], ["openai", 0.0011], ["anthropic", 0.07], ["openai", 9.99],
  ["openai", 10], ["anthropic", 10.5], ["gemini", 0], ["openai", 0.05], ["anthropic", 0.05000001],
];

function both(): { ours: Registry; theirs: Registry; tallied: TalliedHistogram<"provider"> } {
  const ours = new Registry();
  const theirs = new Registry();
  const tallied = new TalliedHistogram({ name: "x_latency_seconds", help: "Latency.", labelName: "provider", buckets: BUCKETS, registry: ours });
  const reference = new Histogram({ name: "x_latency_seconds", help: "Latency.", labelNames: ["provider"], buckets: BUCKETS, registers: [theirs] });
  for (const [provider, v] of OBSERVED) {
    tallied.tally(provider, v);
    reference.observe({ provider }, v);
  }
  return { ours, theirs, tallied };
}

describe("TalliedHistogram", () => {
  it("renders exactly what prom-client's Histogram renders for the same observations (text and JSON)", async () => {
    const { ours, theirs } = both();
    assert.equal(await ours.metrics(), await theirs.metrics());
    assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
    assert.match(await ours.metrics(), /x_latency_seconds_bucket\{le="0.001",provider="openai"\} 2\n/);
  });

  it("also in OpenMetrics, ignores non-finite values, and starts over on reset", async () => {
    const { ours, theirs, tallied } = both();
    const open = (r: Registry): Registry => {
      (r as unknown as Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      return r;
    };
    assert.equal(await open(ours).metrics(), await open(theirs).metrics());
    tallied.tally("openai", Number.NaN);
    tallied.tally("openai", Number.POSITIVE_INFINITY);
    assert.match(await ours.metrics(), /x_latency_seconds_count\{provider="openai"\} 6\n/);
    tallied.reset();
    assert.doesNotMatch(await ours.metrics(), /provider=/);
  });
});
