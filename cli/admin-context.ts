import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createAdminClient, DEFAULT_CP_HTTP, type AdminClient, type FetchLike } from "./admin-client";
import { EXIT_OK, parse, str, withUsage, type Command, type Options, type ParsedArgs } from "./command";
import type { CliIo } from "./io";
import { reportError } from "./output";

export const DEFAULT_DATA_DIR = "./.sidegate";
export const ADMIN_TOKEN_FILE = "admin-token";

export const ADMIN_OPTIONS: Options = {
  json: { type: "boolean" },
  "admin-url": { type: "string" },
  "admin-token": { type: "string" },
  "data-dir": { type: "string" },
};

export const ADMIN_OPTIONS_HELP = [
  "Common options:",
  "  --json                 print the raw JSON response",
  "  --admin-url URL        admin API (default $SIDEGATE_CP_HTTP or 127.0.0.1:4100)",
  "  --admin-token TOKEN    admin token (default $SIDEGATE_ADMIN_TOKEN, else <data-dir>/admin-token)",
  "  --data-dir DIR         where `sidegate dev` keeps its files (default $SIDEGATE_DATA_DIR or ./.sidegate)",
  "  -h, --help             show this help",
].join("\n");

export function dataDirFrom(values: ParsedArgs["values"], env: NodeJS.ProcessEnv): string {
  return resolve(str(values, "data-dir") ?? (env.SIDEGATE_DATA_DIR || DEFAULT_DATA_DIR));
}

/** Token precedence: --admin-token, $SIDEGATE_ADMIN_TOKEN, <data-dir>/admin-token. */
export function resolveAdminToken(values: ParsedArgs["values"], env: NodeJS.ProcessEnv): string | undefined {
  const flag = str(values, "admin-token");
  if (flag) return flag;
  if (env.SIDEGATE_ADMIN_TOKEN) return env.SIDEGATE_ADMIN_TOKEN;
  const file = join(dataDirFrom(values, env), ADMIN_TOKEN_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim() || undefined;
  return undefined;
}

export function adminClientFor(values: ParsedArgs["values"], env: NodeJS.ProcessEnv, fetchImpl?: FetchLike): AdminClient {
  return createAdminClient({
    baseUrl: str(values, "admin-url") ?? (env.SIDEGATE_CP_HTTP || DEFAULT_CP_HTTP),
    token: resolveAdminToken(values, env),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

export interface AdminAction {
  client: AdminClient;
  args: ParsedArgs;
  io: CliIo;
  json: boolean;
}

export interface AdminCommandSpec {
  name: string;
  summary: string;
  /** First usage line(s) without the common options block. */
  usage: string;
  options?: Options;
  maxPositionals?: number;
  action(a: AdminAction): Promise<number | void>;
}

/** A subcommand talking to the admin API: parsing, --help, usage errors and API error reporting. */
export function adminCommand(spec: AdminCommandSpec): Command {
  const usage = `${spec.usage}\n\n${ADMIN_OPTIONS_HELP}`;
  const cmd: Command = {
    name: spec.name,
    summary: spec.summary,
    usage,
    run: (argv, io) =>
      withUsage(cmd, io, async () => {
        const args = parse(argv, { ...ADMIN_OPTIONS, ...spec.options }, spec.maxPositionals ?? 0);
        if (args.values.help) {
          io.stdout(`${usage}\n`);
          return EXIT_OK;
        }
        const client = adminClientFor(args.values, io.env);
        try {
          return (await spec.action({ client, args, io, json: args.values.json === true })) ?? EXIT_OK;
        } catch (err) {
          return reportError(io, err);
        }
      }),
  };
  return cmd;
}
