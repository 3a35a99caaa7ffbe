/** gRPC corpus cases (corpus/grpc.json) and how one is sent: raw bytes on a real grpc-js channel. */
import { randomBytes } from "node:crypto";
import { Client, Metadata, credentials, status, type ServiceError } from "@grpc/grpc-js";
import { METADATA_AUTHORIZATION, METADATA_SIDECAR_ID, messageType } from "../../proto";

export type GrpcPayload =
  | { readonly type: string; readonly message: Record<string, unknown> }
  | { readonly hex: string }
  | { readonly random: number }
  /** A valid UsageBatch whose one record carries a string of this many bytes. */
  | { readonly oversizedBatch: number };

export interface GrpcCase {
  readonly name: string;
  readonly method: string;
  readonly stream: "server" | "bidi";
  readonly auth: "ok" | "none" | "wrong" | "not-bearer";
  readonly sidecarId?: "ok" | "none" | "long";
  readonly payload: GrpcPayload;
  /** Status names (e.g. "UNAUTHENTICATED"), or "DATA" when a message comes back first. */
  readonly expect: readonly string[];
}

export function payloadBytes(p: GrpcPayload): Buffer {
  if ("hex" in p) return Buffer.from(p.hex, "hex");
  if ("random" in p) return randomBytes(p.random);
  if ("oversizedBatch" in p) {
    const batch = { sidecar_id: "s", producer_id: "p", seq: 1, records: [{ request_id: "x".repeat(p.oversizedBatch) }] };
    return encode("UsageBatch", batch);
  }
  return encode(p.type, p.message);
}

function encode(type: string, message: Record<string, unknown>): Buffer {
  const t = messageType(type);
  return Buffer.from(t.encode(t.fromObject(message)).finish());
}

function metadata(c: GrpcCase, token: string): Metadata {
  const md = new Metadata();
  if (c.auth === "ok") md.set(METADATA_AUTHORIZATION, `Bearer ${token}`);
  if (c.auth === "wrong") md.set(METADATA_AUTHORIZATION, "Bearer not-the-token-0123456789");
  if (c.auth === "not-bearer") md.set(METADATA_AUTHORIZATION, token);
  const id = c.sidecarId ?? "ok";
  if (id === "ok") md.set(METADATA_SIDECAR_ID, "hardening");
  if (id === "long") md.set(METADATA_SIDECAR_ID, "s".repeat(300));
  return md;
}

const STATUS_NAMES = new Map<number, string>(Object.entries(status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v as number, k]));

/** Sends the case; resolves with the first outcome: "DATA", a status name, or "HANG". */
export function sendGrpcCase(target: string, token: string, c: GrpcCase, payload: Buffer, timeoutMs: number): Promise<string> {
  const client = new Client(target, credentials.createInsecure());
  const pass = (b: Buffer): Buffer => b;
  return new Promise<string>((resolve) => {
    let settled = false;
    const finish = (outcome: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.cancel();
      client.close();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish("HANG"), timeoutMs);
    const md = metadata(c, token);
    const bidi = c.stream === "bidi" ? client.makeBidiStreamRequest<Buffer, Buffer>(c.method, pass, pass, md) : null;
    const call = bidi ?? client.makeServerStreamRequest<Buffer, Buffer>(c.method, pass, pass, payload, md);
    call.on("data", () => finish("DATA"));
    call.on("error", (err: ServiceError) => finish(STATUS_NAMES.get(err.code) ?? `UNKNOWN_CODE_${err.code}`));
    call.on("end", () => finish("END"));
    call.on("status", (s: { code: number }) => finish(STATUS_NAMES.get(s.code) ?? `UNKNOWN_CODE_${s.code}`));
    bidi?.write(payload);
  });
}
