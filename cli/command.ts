import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIo } from "./io";

/** A runnable (sub)command. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
  /** Servers: the dispatcher calls process.exit once run() resolves (open handles must not keep it alive). */
  longRunning?: boolean;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Bad invocation: the message and the command's usage go to stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const HELP_OPTION: Options = { help: { type: "boolean", short: "h" } };

export interface ParsedArgs {
  values: Values;
  positionals: string[];
}

/** `parseArgs` in strict mode, with `--help` added and parse errors turned into UsageErrors. */
export function parse(argv: string[], options: Options, maxPositionals = Infinity): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    const r = parseArgs({ args: argv, options: { ...HELP_OPTION, ...options }, allowPositionals: true, strict: true });
    parsed = { values: r.values as Values, positionals: r.positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (!parsed.values.help && parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[maxPositionals]}`);
  }
  return parsed;
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function required(values: Values, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === "") throw new UsageError(`missing required option --${name}`);
  return v;
}

export function positional(p: ParsedArgs, index: number, what: string): string {
  const v = p.positionals[index];
  if (v === undefined || v === "") throw new UsageError(`missing argument <${what}>`);
  return v;
}

/** "a,b , c" → ["a","b","c"] */
export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Run a command body, mapping UsageError to "error: …" + usage on stderr with exit 2. */
export async function withUsage(cmd: Pick<Command, "usage">, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n\n${cmd.usage}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** A command made of subcommands (`sidegate teams list`). */
export function group(name: string, summary: string, subcommands: Command[]): Command {
  const width = Math.max(...subcommands.map((s) => s.name.length));
  const usage = [
    `Usage: sidegate ${name} <command> [options]`,
    "",
    summary,
    "",
    "Commands:",
    ...subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    "",
    `Run \`sidegate ${name} <command> --help\` for details.`,
  ].join("\n");
  return {
    name,
    summary,
    usage,
    async run(argv, io) {
      const [first, ...rest] = argv;
      if (first === undefined) {
        io.stderr(`${usage}\n`);
        return EXIT_USAGE;
      }
      if (first === "--help" || first === "-h" || first === "help") {
        io.stdout(`${usage}\n`);
        return EXIT_OK;
      }
      const sub = subcommands.find((s) => s.name === first);
      if (!sub) {
        io.stderr(`error: unknown command "${name} ${first}"\n\n${usage}\n`);
        return EXIT_USAGE;
      }
      return sub.run(rest, io);
    },
  };
}
