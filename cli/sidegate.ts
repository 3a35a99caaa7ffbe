#!/usr/bin/env node
import { EXIT_OK, EXIT_USAGE, type Command } from "./command";
import { processIo, type CliIo } from "./io";

/** Commands are loaded lazily: `sidegate keys list` must not load uWS, gRPC or SQLite. */
interface Entry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Entry[] = [
  { name: "dev", summary: "run everything locally with a mock provider (npm start)", load: async () => (await import("./commands/dev.js")).devCommand },
  { name: "control-plane", summary: "run the control plane", load: async () => (await import("./commands/control-plane.js")).controlPlaneCommand },
  { name: "sidecar", summary: "run a sidecar (the gateway apps talk to)", load: async () => (await import("./commands/sidecar.js")).sidecarCommand },
  { name: "mock-provider", summary: "run the built-in mock OpenAI-compatible provider", load: async () => (await import("./commands/mock-provider.js")).mockProviderCommand },
  { name: "teams", summary: "manage teams", load: async () => (await import("./commands/teams.js")).teamsCommand },
  { name: "keys", summary: "manage virtual keys", load: async () => (await import("./commands/keys.js")).keysCommand },
  { name: "admin-tokens", summary: "manage admin API tokens (roles: org_admin, team_admin, viewer)", load: async () => (await import("./commands/admin-tokens.js")).adminTokensCommand },
  { name: "credentials", summary: "manage provider credentials", load: async () => (await import("./commands/credentials.js")).credentialsCommand },
  { name: "routes", summary: "manage model routes", load: async () => (await import("./commands/routes.js")).routesCommand },
  { name: "deployments", summary: "manage deployments", load: async () => (await import("./commands/deployments.js")).deploymentsCommand },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: sidegate <command> [options]",
    "",
    "Sidegate: an AI gateway sidecar with a gRPC control plane.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `sidegate <command> --help` for details.",
  ].join("\n");
}

export interface Dispatch {
  code: number;
  longRunning: boolean;
}

export async function dispatch(argv: string[], io: CliIo): Promise<Dispatch> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`${usage()}\n`);
    return { code: EXIT_USAGE, longRunning: false };
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic === undefined) {
      io.stdout(`${usage()}\n`);
      return { code: EXIT_OK, longRunning: false };
    }
    return dispatch([topic, "--help"], io);
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`error: unknown command "${name}"\n\n${usage()}\n`);
    return { code: EXIT_USAGE, longRunning: false };
  }
  const cmd = await entry.load();
  const code = await cmd.run(rest, io);
  return { code, longRunning: cmd.longRunning === true };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { code, longRunning } = await dispatch(argv, processIo());
  // Servers may leave handles (sockets, timers) behind once closed; their exit code is final.
  if (longRunning) process.exit(code);
  process.exitCode = code;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
