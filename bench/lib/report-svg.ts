/**
 * A hand-written SVG chart (no chart dependency): added latency vs offered RPS per target from the
 * fixed-rate scenario, p50 and p99 side by side, log scale. Overloaded points are hollow.
 */
import type { BenchReport, ScenarioReport } from "./report-types";
import { machineLine, placementLine } from "./report-markdown";

const COLORS: Record<string, string> = {
  sidegate: "#2563eb",
  "bare-uws": "#16a34a",
  "bare-node-http": "#71717a",
  portkey: "#dc2626",
};
const FALLBACK_COLORS = ["#a855f7", "#ea580c", "#0891b2"];
const W = 960;
const H = 440;
const PANEL_W = 420;
const PANEL_H = 280;
const TOP = 64;
const LEFT = [64, 544];
const FLOOR_MS = 0.05;

interface Series {
  readonly target: string;
  readonly label: string;
  readonly color: string;
  readonly points: Array<{ rate: number; value: number | null; overloaded: boolean }>;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function seriesFor(r: BenchReport, s: ScenarioReport, rates: readonly number[], key: string): Series[] {
  let fallback = 0;
  return s.targets
    .filter((t) => t !== "direct")
    .map((t) => ({
      target: t,
      label: r.targets.find((x) => x.id === t)?.label ?? t,
      color: COLORS[t] ?? FALLBACK_COLORS[fallback++ % FALLBACK_COLORS.length] ?? "#000",
      points: rates.map((rate) => {
        const p = s.points.find((x) => x.target === t && x.point === `${rate} rps`);
        if (p === undefined || p.skipped !== null) return { rate, value: null, overloaded: true };
        const achieved = p.median.achievedRps ?? 0;
        return { rate, value: p.median[key] ?? null, overloaded: achieved < 0.9 * rate || (p.median.errors ?? 0) > 0 };
      }),
    }));
}

/** Ticks 1-2-5 per decade from 0.1 ms up to `top`. */
function ticks(top: number): number[] {
  const out: number[] = [];
  for (let decade = 0.1; decade <= top * 1.0001; decade *= 10) {
    for (const m of [1, 2, 5]) if (decade * m <= top * 1.0001) out.push(Number((decade * m).toPrecision(2)));
  }
  return out;
}

function panel(x0: number, title: string, series: Series[], rates: readonly number[]): string {
  // The axis covers the points that kept up; overloaded ones beyond it sit on the top edge.
  const kept = series.flatMap((s) => s.points.filter((p) => !p.overloaded).map((p) => p.value ?? 0));
  const top = 10 ** Math.max(0, Math.ceil(Math.log10(Math.max(1, ...kept))));
  const span = Math.log10(top / FLOOR_MS);
  const y = (v: number): number => TOP + PANEL_H - (Math.log10(Math.min(top, Math.max(FLOOR_MS, v)) / FLOOR_MS) / span) * PANEL_H;
  const x = (i: number): number => x0 + ((i + 0.5) / rates.length) * PANEL_W;
  const out: string[] = [`<text x="${x0 + PANEL_W / 2}" y="${TOP - 14}" class="t" text-anchor="middle">${esc(title)}</text>`];
  out.push(`<rect x="${x0}" y="${TOP}" width="${PANEL_W}" height="${PANEL_H}" class="frame"/>`);
  out.push(`<text x="${x0 - 6}" y="${TOP + PANEL_H + 4}" class="a" text-anchor="end">≤${FLOOR_MS}</text>`);
  for (const tick of ticks(top)) {
    const ty = y(tick).toFixed(1);
    const major = /^(1|10+|0\.1)$/.test(String(tick));
    out.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${ty}" y2="${ty}" class="${major ? "grid" : "grid2"}"/>`);
    out.push(`<text x="${x0 - 6}" y="${(Number(ty) + 4).toFixed(1)}" class="a" text-anchor="end">${tick}</text>`);
  }
  rates.forEach((rate, i) => {
    out.push(`<text x="${x(i).toFixed(1)}" y="${TOP + PANEL_H + 18}" class="a" text-anchor="middle">${rate.toLocaleString("en-US")}</text>`);
  });
  out.push(`<text x="${x0 + PANEL_W / 2}" y="${TOP + PANEL_H + 36}" class="a" text-anchor="middle">offered RPS (open loop, 50 ms mock)</text>`);
  out.push(`<text x="${x0 - 44}" y="${TOP + PANEL_H / 2}" class="a" text-anchor="middle" transform="rotate(-90 ${x0 - 44} ${TOP + PANEL_H / 2})">added ms (log)</text>`);
  for (const s of series) {
    const pts = s.points.map((p, i) => ({ ...p, cx: x(i), cy: p.value === null ? null : y(p.value) }));
    const path = pts.filter((p) => p.cy !== null).map((p, i) => `${i === 0 ? "M" : "L"}${p.cx.toFixed(1)},${(p.cy as number).toFixed(1)}`).join(" ");
    if (path !== "") out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of pts) {
      if (p.cy === null) continue;
      const fill = p.overloaded ? "#fff" : s.color;
      const beyond = p.value !== null && p.value > top ? " (off the chart)" : "";
      out.push(`<circle cx="${p.cx.toFixed(1)}" cy="${p.cy.toFixed(1)}" r="4" fill="${fill}" stroke="${s.color}" stroke-width="2"><title>${esc(`${s.label} @ ${p.rate} rps: ${p.value?.toFixed(3)} ms${p.overloaded ? " (overloaded)" : ""}${beyond}`)}</title></circle>`);
    }
  }
  return out.join("\n");
}

export function renderSvg(r: BenchReport): string {
  const s = r.scenarios.find((x) => x.id === "fixed-rate");
  const rates = (r.settings.rates as readonly number[] | undefined) ?? [];
  const body: string[] = [];
  if (s === undefined || s.status !== "ok" || rates.length === 0) {
    body.push(`<text x="${W / 2}" y="${H / 2}" class="t" text-anchor="middle">no fixed-rate results in this run</text>`);
  } else {
    const p50 = seriesFor(r, s, rates, "added.latency.p50");
    const p99 = seriesFor(r, s, rates, "added.latency.p99");
    body.push(panel(LEFT[0] as number, "added latency p50 vs direct", p50, rates));
    body.push(panel(LEFT[1] as number, "added latency p99 vs direct", p99, rates));
    p50.forEach((series, i) => {
      const lx = 64 + i * 220;
      body.push(`<rect x="${lx}" y="${H - 50}" width="14" height="14" fill="${series.color}"/>`);
      body.push(`<text x="${lx + 20}" y="${H - 39}" class="a">${esc(series.label)}</text>`);
    });
  }
  const caption = `${r.mode} run, ${r.startedAt.slice(0, 10)} · ${machineLine(r)} · ${placementLine(r)} · hollow = overloaded`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<style>.t{font-size:15px;font-weight:600;fill:#111}.a{font-size:11px;fill:#444}.frame{fill:none;stroke:#999}.grid{stroke:#ddd}.grid2{stroke:#f0f0f0}</style>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" class="t" text-anchor="middle">What a proxy adds to a chat completion (lower is better)</text>`,
    ...body,
    `<text x="${W / 2}" y="${H - 10}" class="a" text-anchor="middle">${esc(caption.length > 170 ? `${caption.slice(0, 167)}…` : caption)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}
