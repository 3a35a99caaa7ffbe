import { loadControlPlaneConfig } from "../../control-plane/src/config/load";
import { startControlPlane } from "../../control-plane/src/main";
import { createLogger } from "../../control-plane/src/telemetry/logger";
import { EXIT_OK, parse, withUsage, type Command } from "../command";
import { reportStartupError, serveUntilSignal } from "../shutdown";

const usage = [
  "Usage: sidegate control-plane",
  "",
  "Run the control plane (gRPC policy/usage services + admin HTTP API), configured from the environment:",
  "  SIDEGATE_CP_GRPC (127.0.0.1:50051), SIDEGATE_CP_HTTP (127.0.0.1:4100), SIDEGATE_ADMIN_TOKEN,",
  "  SIDEGATE_SIDECAR_TOKEN / SIDEGATE_SIDECAR_TOKENS, SIDEGATE_MASTER_KEY or SIDEGATE_MASTER_KEY_FILE,",
  "  SIDEGATE_DATA_DIR (./.sidegate), SIDEGATE_LOG_LEVEL, SIDEGATE_CP_TLS_{CERT,KEY,CLIENT_CA}.",
  "Stops gracefully on SIGINT/SIGTERM (a second signal forces exit 1).",
].join("\n");

export const controlPlaneCommand: Command = {
  name: "control-plane",
  summary: "run the control plane",
  usage,
  longRunning: true,
  run: (argv, io) =>
    withUsage(controlPlaneCommand, io, async () => {
      if (parse(argv, {}, 0).values.help) return io.stdout(`${usage}\n`), EXIT_OK;
      let config;
      try {
        config = loadControlPlaneConfig(io.env);
      } catch (err) {
        return reportStartupError(io, err);
      }
      const cfg = config;
      return serveUntilSignal(io, () => startControlPlane(cfg, { logger: createLogger(cfg.logLevel) }), 15_000);
    }),
};
