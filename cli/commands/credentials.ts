import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, positional, required, str, UsageError } from "../command";
import type { CliIo } from "../io";
import { printJson, table } from "../output";

type Credential = Record<string, unknown>;

const listCmd = adminCommand({
  name: "list",
  summary: "list provider credentials (never their secrets)",
  usage: "Usage: sidegate credentials list [--json]",
  async action({ client, io, json }) {
    const creds = await client.list<Credential>("/api/v1/providers");
    if (json) return printJson(io, creds);
    io.stdout(table(creds, [["ID", (c) => c.id], ["PROVIDER", (c) => c.provider], ["SECRETS", (c) => c.secret_fields], ["UPDATED", (c) => c.updated_at]]));
  },
});

/** The API key comes from an env var name or stdin, never from argv (argv is visible in `ps`). */
export async function readApiKey(values: Record<string, unknown>, io: CliIo): Promise<string> {
  const envName = typeof values["api-key-env"] === "string" ? values["api-key-env"] : undefined;
  const fromStdin = values["api-key-stdin"] === true;
  if (envName !== undefined && fromStdin) throw new UsageError("use either --api-key-env or --api-key-stdin, not both");
  if (envName !== undefined) {
    const v = io.env[envName];
    if (v === undefined || v.trim() === "") throw new UsageError(`environment variable ${envName} is not set or empty`);
    return v.trim();
  }
  if (fromStdin) {
    const v = (await io.readStdin()).trim();
    if (v === "") throw new UsageError("no API key on stdin");
    return v;
  }
  throw new UsageError("missing --api-key-env VAR or --api-key-stdin (the secret is never taken from argv)");
}

const setCmd = adminCommand({
  name: "set",
  summary: "create or replace a provider credential",
  usage: [
    "Usage: sidegate credentials set <id> --provider PROVIDER (--api-key-env VAR | --api-key-stdin)",
    "",
    "  --provider P        provider adapter id, e.g. openai (required)",
    "  --api-key-env VAR   read the API key from environment variable VAR",
    "  --api-key-stdin     read the API key from stdin",
    "",
    "Example: OPENAI_API_KEY=sk-... sidegate credentials set openai --provider openai --api-key-env OPENAI_API_KEY",
  ].join("\n"),
  options: { provider: { type: "string" }, "api-key-env": { type: "string" }, "api-key-stdin": { type: "boolean" } },
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const provider = required(args.values, "provider");
    const apiKey = await readApiKey(args.values, io);
    const res = await client.request<Credential>("PUT", `/api/v1/providers/${seg(id)}`, { provider, secrets: { api_key: apiKey } });
    if (json) return printJson(io, res);
    io.stdout(`stored credential ${id} (${str(args.values, "provider")})\n`);
  },
});

const deleteCmd = adminCommand({
  name: "delete",
  summary: "delete a provider credential",
  usage: "Usage: sidegate credentials delete <id>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const res = await client.request("DELETE", `/api/v1/providers/${seg(id)}`);
    if (json) return printJson(io, res);
    io.stdout(`deleted credential ${id}\n`);
  },
});

export const credentialsCommand = group("credentials", "Manage provider credentials (stored encrypted).", [listCmd, setCmd, deleteCmd]);
