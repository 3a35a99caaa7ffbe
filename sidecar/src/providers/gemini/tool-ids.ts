/**
 * OpenAI tool-call ids for Gemini function calls (providers.md §4.4, §8.2).
 *
 * Gemini calls carry no id (newer responses may carry `functionCall.id`) and thinking models attach an
 * opaque `thoughtSignature` that must be replayed on the same `functionCall` part in the next request
 * (Gemini 3 answers 400 otherwise). OpenAI clients only echo the tool-call id back, so that is where the
 * state travels:
 *
 *   call_<24 hex>                     no Gemini id, no signature
 *   call_<24 hex>_<base64url(blob)>   blob = MAGIC, flags, [u16 length + Gemini id], [signature]
 *
 * The 24-hex local part is derived from the response id and the call's position, so it is stable across
 * stream splits. The signature is stored as its decoded bytes when it is canonical base64 (it always is
 * on the wire: a proto `bytes` field), else as its UTF-8 text; either way it decodes to the identical
 * string. Ids of other origins (OpenAI `call_…`, anything else) decode to "no state". Ids get long
 * (signatures are hundreds of bytes): clients that cap tool-call id length cannot run Gemini 3 tool loops
 * through this adapter.
 */
import { digest } from "./json";

const PREFIX = "call_";
const LOCAL_LEN = 24;
const MAGIC = 0x67; // "g"
const HAS_ID = 1;
const SIG_BYTES = 2;
const SIG_TEXT = 4;
const KNOWN_FLAGS = HAS_ID | SIG_BYTES | SIG_TEXT;
const LOCAL = /^[0-9a-f]{24}$/;

export interface ToolCallState {
  /** `functionCall.id` as Gemini sent it. */
  readonly geminiId?: string;
  readonly thoughtSignature?: string;
}

/** The deterministic local part for call `index` of candidate `candidate` in response `seed`. */
export function localToolCallId(seed: string, candidate: number, index: number): string {
  return digest(seed, "\u0000", String(candidate), "\u0000", String(index)).slice(0, LOCAL_LEN);
}

export function encodeToolCallId(local: string, state: ToolCallState): string {
  const id = state.geminiId !== undefined && state.geminiId !== "" ? Buffer.from(state.geminiId, "utf8") : null;
  const sig = state.thoughtSignature !== undefined && state.thoughtSignature !== "" ? state.thoughtSignature : null;
  if (id === null && sig === null) return PREFIX + local;
  let flags = 0;
  let sigBytes: Buffer | null = null;
  if (id !== null) flags |= HAS_ID;
  if (sig !== null) {
    const decoded = Buffer.from(sig, "base64");
    if (decoded.toString("base64") === sig) {
      flags |= SIG_BYTES;
      sigBytes = decoded;
    } else {
      flags |= SIG_TEXT;
      sigBytes = Buffer.from(sig, "utf8");
    }
  }
  const head = Buffer.from([MAGIC, flags]);
  const parts: Buffer[] = [head];
  if (id !== null) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(Math.min(id.length, 0xffff));
    parts.push(len, id.subarray(0, 0xffff));
  }
  if (sigBytes !== null) parts.push(sigBytes);
  return `${PREFIX}${local}_${Buffer.concat(parts).toString("base64url")}`;
}

/** The state carried by an id this adapter produced; `{}` for any other id. Never throws. */
export function decodeToolCallId(id: string): ToolCallState {
  const tail = PREFIX.length + LOCAL_LEN;
  if (id.length <= tail + 1 || !id.startsWith(PREFIX) || id[tail] !== "_") return {};
  if (!LOCAL.test(id.slice(PREFIX.length, tail))) return {};
  const payload = id.slice(tail + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) return {};
  const blob = Buffer.from(payload, "base64url");
  if (blob.length < 2 || blob[0] !== MAGIC) return {};
  const flags = blob[1] as number;
  if ((flags & ~KNOWN_FLAGS) !== 0 || (flags & SIG_BYTES && flags & SIG_TEXT)) return {};
  let pos = 2;
  const out: { geminiId?: string; thoughtSignature?: string } = {};
  if (flags & HAS_ID) {
    if (blob.length < pos + 2) return {};
    const len = blob.readUInt16BE(pos);
    pos += 2;
    if (blob.length < pos + len) return {};
    out.geminiId = blob.toString("utf8", pos, pos + len);
    pos += len;
  }
  if (flags & SIG_BYTES) out.thoughtSignature = blob.subarray(pos).toString("base64");
  else if (flags & SIG_TEXT) out.thoughtSignature = blob.toString("utf8", pos);
  else if (pos !== blob.length) return {};
  return out;
}
