import { existsSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import type { ServiceDefinition, MethodDefinition } from "@grpc/grpc-js";

/** Folder holding the `.proto` sources (works from `proto/` and from the compiled `dist/proto/`). */
export const PROTO_ROOT = existsSync(join(__dirname, "sidegate/v1/policy.proto")) ? __dirname : join(__dirname, "../../proto");
export const PROTO_FILES = ["sidegate/v1/policy.proto", "sidegate/v1/usage.proto", "sidegate/v1/quota.proto"];
export const PACKAGE = "sidegate.v1";

/** Options used for every decode: plain objects, numbers for 64-bit ints, defaults filled in. */
export const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer as unknown as protobuf.IConversionOptions["bytes"],
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
};

export function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync(PROTO_FILES, { keepCase: true });
  root.resolveAll();
  return root;
}

let cached: protobuf.Root | undefined;
export function protoRoot(): protobuf.Root {
  cached ??= loadRoot();
  return cached;
}

export function messageType(name: string): protobuf.Type {
  return protoRoot().lookupType(`${PACKAGE}.${name}`);
}

function codec<T>(type: protobuf.Type): { serialize: (value: T) => Buffer; deserialize: (bytes: Buffer) => T } {
  return {
    serialize: (value: T): Buffer => {
      const err = type.verify(value as Record<string, unknown>);
      if (err) throw new TypeError(`${type.name}: ${err}`);
      return Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
    },
    deserialize: (bytes: Buffer): T => type.toObject(type.decode(bytes), TO_OBJECT) as T,
  };
}

/** A grpc-js service definition built from the reflected protobufjs service; no generated stubs. */
export function serviceDefinition(serviceName: string): ServiceDefinition {
  const service = protoRoot().lookupService(`${PACKAGE}.${serviceName}`);
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const req = codec<unknown>(method.resolvedRequestType as protobuf.Type);
    const res = codec<unknown>(method.resolvedResponseType as protobuf.Type);
    def[method.name] = {
      path: `/${PACKAGE}.${serviceName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
      originalName: method.name,
    };
  }
  return def as ServiceDefinition;
}

export const SERVICES = ["PolicyService", "UsageService", "QuotaService"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Metadata keys every sidecar sends on every call. */
export const METADATA_SIDECAR_ID = "x-sidegate-sidecar-id";
export const METADATA_AUTHORIZATION = "authorization";

export type * from "./gen/types";
