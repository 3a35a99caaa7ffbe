/** Writes a report as JSON (timestamped + `<prefix>latest.json`), markdown and SVG. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderMarkdown } from "./report-markdown";
import type { BenchReport } from "./report-types";
import { renderSvg } from "./report-svg";

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string | null;
}

export function writeReport(outDir: string, report: BenchReport, prefix: string): WrittenFiles {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(join(outDir, `${report.mode}-${stamp}.json`), json);
  const files: WrittenFiles = {
    json: join(outDir, `${prefix}latest.json`),
    markdown: join(outDir, `${prefix}latest.md`),
    svg: report.scenarios.length > 0 ? join(outDir, `${prefix}latest.svg`) : null,
  };
  writeFileSync(files.json, json);
  writeFileSync(files.markdown, renderMarkdown(report));
  if (files.svg !== null) writeFileSync(files.svg, renderSvg(report));
  return files;
}

/** Copies the chart and the tables next to bench/README.md, for the top-level README to reference. */
export function publish(benchDir: string, files: WrittenFiles): string[] {
  const out: string[] = [];
  if (files.svg !== null) {
    copyFileSync(files.svg, join(benchDir, "README-chart.svg"));
    out.push(join(benchDir, "README-chart.svg"));
  }
  copyFileSync(files.markdown, join(benchDir, "README-results.md"));
  out.push(join(benchDir, "README-results.md"));
  return out;
}

/** Renders an existing result JSON again (after a change to the writers): FILE.md and FILE.svg beside it. */
export function rerender(file: string): WrittenFiles {
  const report = JSON.parse(readFileSync(file, "utf8")) as BenchReport;
  const base = file.replace(/\.json$/, "");
  const files: WrittenFiles = { json: file, markdown: `${base}.md`, svg: report.scenarios.length > 0 ? `${base}.svg` : null };
  writeFileSync(files.markdown, renderMarkdown(report));
  if (files.svg !== null) writeFileSync(files.svg, renderSvg(report));
  return files;
}
