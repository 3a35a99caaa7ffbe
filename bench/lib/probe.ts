/** One JSON and one streamed request through a target before it is measured: fail early and loudly. */
import type { Target } from "../targets/types";

export async function probe(target: Target): Promise<number> {
  for (const stream of [false, true]) {
    const spec = target.request({ stream, latencyMs: 0, chunkDelayMs: 0 });
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < spec.headers.length; i += 2) headers[spec.headers[i] as string] = spec.headers[i + 1] as string;
    const res = await fetch(spec.origin + spec.path, { method: "POST", headers, body: spec.body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const what = stream ? "streamed" : "JSON";
    if (res.status !== 200) throw new Error(`${target.id}: ${what} probe answered ${res.status}: ${text.slice(0, 400)}`);
    const shaped = spec.streamEnd === null ? text.trimStart().startsWith("{") : text.includes(spec.streamEnd);
    if (!shaped) throw new Error(`${target.id}: ${what} probe answer is not the expected shape: ${text.slice(0, 400)}`);
  }
  return 2;
}
