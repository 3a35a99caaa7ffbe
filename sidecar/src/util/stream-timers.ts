import type { ClientDuplexStream } from "@grpc/grpc-js";

/** Shutdown of a long-lived client stream with its periodic and reconnect timers. */
export function closeStream(
  call: ClientDuplexStream<unknown, unknown> | null,
  timer: NodeJS.Timeout | null,
  reconnectTimer: NodeJS.Timeout | null,
): void {
  if (timer !== null) clearInterval(timer);
  if (reconnectTimer !== null) clearTimeout(reconnectTimer);
  if (call !== null) {
    call.end();
    call.cancel();
  }
}

/** warn on the first failure and every 20th, debug otherwise (a long outage must not flood the log). */
export function reconnectLogLevel(failures: number): "warn" | "debug" {
  return failures === 1 || failures % 20 === 0 ? "warn" : "debug";
}
