/** SSE framing (sidecar/src/sse/scanner.ts) over a realistic 20-chunk stream, fed three ways. */
import { SseScanner, eventData } from "../../sidecar/src/sse/scanner";
import type { MicroCase } from "./harness";
import { openAiStreamEvents, slices } from "./inputs";

export function sseScannerCases(): MicroCase[] {
  const events = openAiStreamEvents();
  const whole = Buffer.concat(events);
  const feeds: Array<[string, Buffer[]]> = [
    ["one event per chunk", events],
    ["whole stream in one chunk", [whole]],
    ["64-byte chunks (events straddle)", slices(whole, 64)],
  ];
  return feeds.map(([how, chunks]) => ({
    group: "sse scanner",
    name: `push: ${how}`,
    bytesPerOp: whole.length,
    itemsPerOp: events.length,
    itemLabel: "events",
    note: `${events.length} events, ${whole.length} B per stream; eventData() on each`,
    run: () => {
      const scanner = new SseScanner();
      let n = 0;
      const onEvent = (e: Uint8Array): void => {
        if (eventData(e) !== null) n++;
      };
      for (const c of chunks) scanner.push(c, onEvent);
      scanner.finish();
      return n;
    },
  }));
}
