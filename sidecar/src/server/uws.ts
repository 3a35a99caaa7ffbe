/**
 * The only importer of uWebSockets.js. The package silently falls back to a slow pure-JS implementation
 * when no native binary matches this Node build; we detect that and refuse to serve unless allowed.
 */
import * as uws from "uWebSockets.js";

export type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket, RecognizedString } from "uWebSockets.js";

export const App = uws.App;
export const listenSocketClose = uws.us_listen_socket_close;
export const socketLocalPort = uws.us_socket_local_port;

/** True when the native addon is loaded (the fallback lacks getParts and its App is plain JS). */
export function isNativeUws(): boolean {
  return typeof uws.getParts === "function" && String(uws.App).includes("[native code]");
}

export class UwsFallbackError extends Error {
  constructor() {
    super(
      "uWebSockets.js native binary is not available for this Node.js build (pure-JS fallback loaded); " +
        "refusing to start. Use a supported Node.js version or set SIDEGATE_ALLOW_UWS_FALLBACK=true.",
    );
    this.name = "UwsFallbackError";
  }
}

/** Throws UwsFallbackError on the fallback unless allowed; returns whether the native build is in use. */
export function assertUwsUsable(allowFallback: boolean): boolean {
  const native = isNativeUws();
  if (!native && !allowFallback) throw new UwsFallbackError();
  return native;
}
