import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuPerRequestUs, renderAbMarkdown, summarizeAb, type AbRound } from "../../bench/lib/ab-summary";

const side = (cpuUsPerReq: number, errors = 0) => ({ requests: 50_000, errors, rps: 8000, cpuUsPerReq });
const rounds = (pairs: readonly [number, number][]): AbRound[] => pairs.map(([ref, head], i) => ({ round: i + 1, ref: side(ref), head: side(head) }));

test("the difference is the median of per-round differences, so a drifting machine cancels out", () => {
  // The machine slows down by 30 % over the run; the working tree is 5 µs cheaper in every round.
  const s = summarizeAb(rounds([[50, 45], [58, 53], [65, 60.5], [70, 64]]));
  assert.equal(s.rounds, 4);
  assert.equal(s.diffUsPerReq, -5);
  assert.deepEqual([s.diffMin, s.diffMax], [-6, -4.5]);
  assert.equal(s.refCpuUsPerReq, 61.5);
  assert.ok(Math.abs(s.diffPct - (-500 / 61.5)) < 1e-9);
  assert.match(s.verdict, /^the working tree costs −5\.0 µs\/request \(−8\.1 %\), every round the same way/);
});

test("rounds that disagree in sign are no clear difference; errors invalidate the comparison", () => {
  assert.match(summarizeAb(rounds([[60, 60.1], [58, 57.6], [59, 59.2]])).verdict, /^no clear difference: \+0\.1 µs\/request \(rounds −0\.4 … \+0\.2\)/);
  const withErrors = [{ round: 1, ref: side(50), head: side(55, 3) }];
  assert.equal(summarizeAb(withErrors).verdict, "3 error answers: the comparison is not valid");
  assert.equal(summarizeAb([]).verdict, "no round measured");
});

test("CPU per request and the markdown table", () => {
  assert.equal(cpuPerRequestUs(3e9, 60_000), 50);
  assert.ok(Number.isNaN(cpuPerRequestUs(1e9, 0)));
  const r = rounds([[50, 45]]);
  const md = renderAbMarkdown("main~1 (abc)", r, summarizeAb(r), ["note one"]);
  assert.match(md, /^# Sidegate A\/B — main~1 \(abc\) vs the working tree/);
  assert.match(md, /- note one/);
  assert.match(md, /\| 1 \| 8000 \| 50\.0 \| 8000 \| 45\.0 \| -5\.0 \|/);
});
