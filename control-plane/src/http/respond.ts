import type { ServerResponse } from "node:http";
import { ApiError, errorBody } from "../errors/codes";
import type { AdminResult } from "./types";

const COMMON_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

export function send(res: ServerResponse, result: AdminResult, extraHeaders: Record<string, string> = {}): void {
  const json = result.contentType === undefined;
  const payload = json ? JSON.stringify(result.body) : String(result.body);
  res.writeHead(result.status, {
    ...COMMON_HEADERS,
    ...extraHeaders,
    "content-type": json ? "application/json; charset=utf-8" : (result.contentType as string),
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  send(res, { status: err.status, body: errorBody(err) }, { ...err.headers });
}
