/**
 * Every stream decoder in the provider registry at run time (PROVIDERS), fed upstream bytes: the OpenAI-
 * compatible decoder gets a realistic 20-chunk stream; every provider also gets the largest stream
 * fixture from its conformance fixtures (sidecar/src/providers/<dir>/fixtures/*.json) one event per chunk.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS, SURFACES } from "../../sidecar/src/providers/registry";
import type { ProviderAdapter, ResponseCodec } from "../../sidecar/src/providers/types";
import type { MicroCase } from "./harness";
import { openAiStreamEvents, slices } from "./inputs";

const PROVIDERS_SRC = join(__dirname, "../../../sidecar/src/providers");

interface StreamFixture {
  readonly file: string;
  readonly bytes: Buffer;
}

/** Fixture folders that belong to a provider id: `<id>` itself or `<id>-…` (e.g. openai → openai-compatible). */
function fixtureDirs(id: string): string[] {
  if (!existsSync(PROVIDERS_SRC)) return [];
  return readdirSync(PROVIDERS_SRC)
    .filter((d) => d === id || d.startsWith(`${id}-`))
    .map((d) => join(PROVIDERS_SRC, d, "fixtures"))
    .filter((d) => existsSync(d));
}

function largestStreamFixture(id: string): StreamFixture | null {
  let best: StreamFixture | null = null;
  for (const dir of fixtureDirs(id)) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      const fixture = JSON.parse(readFileSync(join(dir, name), "utf8")) as { stream?: { text?: string; base64?: string }; response?: { status?: number } };
      const s = fixture.stream;
      if (s === undefined || (fixture.response?.status ?? 200) !== 200) continue;
      const bytes = s.base64 !== undefined ? Buffer.from(s.base64, "base64") : Buffer.from(s.text ?? "", "utf8");
      if (best === null || bytes.length > best.bytes.length) best = { file: `${dir.split("/").slice(-2, -1)[0] ?? ""}/fixtures/${name}`, bytes };
    }
  }
  return best;
}

/** Text streams split after each blank line (one event per chunk); binary streams in 512-byte chunks. */
function chunked(bytes: Buffer): Buffer[] {
  const text = bytes.toString("latin1");
  if (!text.includes("\n\n")) return slices(bytes, 512);
  const out: Buffer[] = [];
  let start = 0;
  for (let i = text.indexOf("\n\n"); i !== -1; i = text.indexOf("\n\n", start)) {
    out.push(bytes.subarray(start, i + 2));
    start = i + 2;
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function decodeCase(id: string, adapter: ResponseCodec, chunks: Buffer[], clientIncludeUsage: boolean, what: string): MicroCase {
  const bytes = chunks.reduce((a, c) => a + c.length, 0);
  return {
    group: "stream decoder",
    name: `${id}: ${what}${clientIncludeUsage ? "" : " (usage chunk stripped)"}`,
    bytesPerOp: bytes,
    itemsPerOp: chunks.length,
    itemLabel: "chunks",
    note: `${chunks.length} chunks, ${bytes} B per stream`,
    run: () => {
      const decoder = adapter.createStreamDecoder({ clientIncludeUsage });
      let out = 0;
      for (const c of chunks) out += decoder.push(c)?.length ?? 0;
      out += decoder.end()?.length ?? 0;
      return out + (decoder.usage?.completionTokens ?? 0);
    },
  };
}

export function streamDecoderCases(): MicroCase[] {
  const cases: MicroCase[] = [];
  const realistic = openAiStreamEvents();
  for (const [id, adapter] of Object.entries(PROVIDERS) as Array<[string, ProviderAdapter]>) {
    if (id === "openai") {
      cases.push(decodeCase(id, adapter, realistic, false, "20-chunk stream"));
      cases.push(decodeCase(id, adapter, realistic, true, "20-chunk stream, client asked for usage"));
    }
    const fixture = largestStreamFixture(id);
    if (fixture !== null) cases.push(decodeCase(id, adapter, chunked(fixture.bytes), false, `fixture ${fixture.file}`));
  }
  return cases;
}

/**
 * Inbound surfaces (e.g. `/v1/messages`): the native pass-through decoder of every adapter that speaks the
 * surface, on that adapter's largest stream fixture, and the translated decoder (canonical chunks → the
 * surface's events) on the realistic 20-chunk OpenAI stream.
 */
export function surfaceDecoderCases(): MicroCase[] {
  const cases: MicroCase[] = [];
  const realistic = openAiStreamEvents();
  const openai = (PROVIDERS as Record<string, ProviderAdapter>)["openai"];
  for (const surface of Object.values(SURFACES)) {
    for (const [id, adapter] of Object.entries(PROVIDERS) as Array<[string, ProviderAdapter]>) {
      const native = adapter.native?.[surface.id];
      const fixture = native === undefined ? null : largestStreamFixture(id);
      if (native !== undefined && fixture !== null) cases.push(decodeCase(`${surface.id} → ${id}`, native, chunked(fixture.bytes), false, `native pass-through, fixture ${fixture.file}`));
    }
    if (openai !== undefined) cases.push(decodeCase(`${surface.id} → openai`, surface.fromCanonical(openai), realistic, false, "translated 20-chunk stream"));
  }
  return cases;
}

/** Non-stream response parsing (usage extraction) for the OpenAI-compatible adapter. */
export function responseParseCases(body: Buffer): MicroCase[] {
  const adapter = (PROVIDERS as Record<string, ProviderAdapter>)["openai"];
  if (adapter === undefined) return [];
  return [
    {
      group: "response parse",
      name: "openai: parseChatResponse (570-byte completion)",
      bytesPerOp: body.length,
      note: "JSON.parse + usage extraction, body bytes forwarded unchanged",
      run: () => adapter.parseChatResponse(body),
    },
  ];
}
