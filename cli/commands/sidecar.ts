import { loadSidecarConfig } from "../../sidecar/src/config/load";
import { startSidecar } from "../../sidecar/src/main";
import { createLogger } from "../../sidecar/src/telemetry/logger";
import { EXIT_OK, parse, withUsage, type Command } from "../command";
import { reportStartupError, serveUntilSignal } from "../shutdown";

const usage = [
  "Usage: sidegate sidecar",
  "",
  "Run a sidecar (OpenAI-compatible gateway on SIDEGATE_HOST:SIDEGATE_PORT, default 127.0.0.1:4000),",
  "configured from the environment: SIDEGATE_CP_GRPC, SIDEGATE_SIDECAR_TOKEN, SIDEGATE_SIDECAR_ID,",
  "SIDEGATE_METRICS_PORT, SIDEGATE_UPSTREAM_TIMEOUT_MS, SIDEGATE_CP_TLS_{CA,CERT,KEY}, SIDEGATE_LOG_LEVEL,",
  "SIDEGATE_DATA_DIR + SIDEGATE_SNAPSHOT_KEY(_FILE) (usage spool, sealed policy snapshot), ...",
  "SIGINT/SIGTERM: stop accepting, drain in-flight requests, flush usage, exit 0 (a second signal: exit 1).",
].join("\n");

export const sidecarCommand: Command = {
  name: "sidecar",
  summary: "run a sidecar (the gateway apps talk to)",
  usage,
  longRunning: true,
  run: (argv, io) =>
    withUsage(sidecarCommand, io, async () => {
      if (parse(argv, {}, 0).values.help) return io.stdout(`${usage}\n`), EXIT_OK;
      let config;
      try {
        config = loadSidecarConfig(io.env);
      } catch (err) {
        return reportStartupError(io, err);
      }
      const cfg = config;
      // The sidecar drains within its own deadline; the CLI's hard stop leaves room for the usage flush.
      return serveUntilSignal(io, () => startSidecar(cfg, { logger: createLogger(cfg.logLevel) }), cfg.shutdownDeadlineMs + 5000);
    }),
};
