/** Test helpers for the Messages stream modules (not used by production code). */

export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Parses `event:` + `data:` SSE text into events (one JSON data line per event). */
export function parseEvents(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
      const data = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Feeds `input` to a byte-fed translator split at `cut` (or whole when cut is undefined) and returns all output. */
export function feed(make: () => { push(c: Uint8Array): Uint8Array | null; end(): Uint8Array | null }, input: Buffer, cut?: number): string {
  const t = make();
  const parts: Uint8Array[] = [];
  const pieces = cut === undefined ? [input] : [input.subarray(0, cut), input.subarray(cut)];
  for (const p of pieces) {
    const out = t.push(p);
    if (out !== null) parts.push(out);
  }
  const tail = t.end();
  if (tail !== null) parts.push(tail);
  return Buffer.concat(parts).toString("utf8");
}
