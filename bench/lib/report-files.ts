/** Writes a report as JSON (timestamped + `<prefix>latest.json`), markdown and SVG. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluateGoals } from "./goals";
import { renderMarkdown } from "./report-markdown";
import type { BenchReport } from "./report-types";
import { renderSvg } from "./report-svg";

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string | null;
}

/** The chart plots the fixed-rate scenario; runs without it (micro, soak) get none. */
function hasChart(report: BenchReport): boolean {
  return report.scenarios.some((s) => s.id === "fixed-rate" && s.status === "ok");
}

export function writeReport(outDir: string, report: BenchReport, prefix: string): WrittenFiles {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(outDir, `${report.mode}-${stamp}.json`), json);
  const files: WrittenFiles = {
    json: join(outDir, `${prefix}latest.json`),
    markdown: join(outDir, `${prefix}latest.md`),
    svg: hasChart(report) ? join(outDir, `${prefix}latest.svg`) : null,
  };
  writeFileSync(files.json, json);
  writeFileSync(files.markdown, renderMarkdown(report));
  if (files.svg !== null) writeFileSync(files.svg, renderSvg(report));
  return files;
}

/** Copies the chart and the tables next to bench/README.md, for the top-level README to reference. */
export function publish(benchDir: string, files: WrittenFiles, mode: BenchReport["mode"]): string[] {
  const out: string[] = [];
  // A soak or micro run publishes beside the full run's tables, never over them.
  const prefix = mode === "soak" || mode === "micro" ? `${mode}-` : "";
  if (files.svg !== null && prefix === "") {
    copyFileSync(files.svg, join(benchDir, "README-chart.svg"));
    out.push(join(benchDir, "README-chart.svg"));
  }
  const markdown = join(benchDir, `README-${prefix}results.md`);
  copyFileSync(files.markdown, markdown);
  out.push(markdown);
  return out;
}

/**
 * Renders an existing result JSON again (after a change to the writers or the goal rules): goals are
 * re-evaluated from the stored measurements; FILE.md and FILE.svg are written beside it.
 */
export function rerender(file: string): WrittenFiles & { mode: BenchReport["mode"] } {
  const stored = JSON.parse(readFileSync(file, "utf8")) as BenchReport;
  const rates = (stored.settings.rates as readonly number[] | undefined) ?? [];
  const minutes = stored.mode === "soak" ? Number(stored.settings.soakMinutes ?? 0) : null;
  const report: BenchReport = { ...stored, goals: evaluateGoals(stored.scenarios, rates, minutes) };
  const base = file.replace(/\.json$/, "");
  const files: WrittenFiles = { json: file, markdown: `${base}.md`, svg: hasChart(report) ? `${base}.svg` : null };
  writeFileSync(files.markdown, renderMarkdown(report));
  if (files.svg !== null) writeFileSync(files.svg, renderSvg(report));
  return { ...files, mode: stored.mode };
}
