import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, positional, required, str, UsageError } from "../command";
import { printJson, table } from "../output";

type Deployment = Record<string, unknown>;

const listCmd = adminCommand({
  name: "list",
  summary: "list deployments",
  usage: "Usage: sidegate deployments list [--json]",
  async action({ client, io, json }) {
    const deps = await client.list<Deployment>("/api/v1/deployments");
    if (json) return printJson(io, deps);
    io.stdout(
      table(deps, [
        ["ID", (d) => d.id],
        ["PROVIDER", (d) => d.provider],
        ["BASE URL", (d) => d.base_url],
        ["UPSTREAM MODEL", (d) => d.upstream_model],
        ["CREDENTIAL", (d) => d.credential_id],
        ["DIRECT", (d) => (Array.isArray(d.direct_models) ? d.direct_models.join(",") : "")],
      ]),
    );
  },
});

const setCmd = adminCommand({
  name: "set",
  summary: "create or replace a deployment",
  usage: [
    "Usage: sidegate deployments set <id> --provider P --base-url URL [--upstream-model M] [--credential C] [--timeout-ms N] [--direct-models LIST]",
    "",
    "  --provider P          provider adapter id, e.g. openai (required)",
    "  --base-url URL        upstream base URL, e.g. https://api.openai.com/v1 (required)",
    "  --upstream-model M    model name sent upstream (default: the requested model)",
    "  --credential C        provider credential id (none: no Authorization header)",
    "  --timeout-ms N        upstream timeout",
    "  --direct-models LIST  comma-separated upstream models clients may address as <provider>/<model>; * = any",
  ].join("\n"),
  options: {
    provider: { type: "string" },
    "base-url": { type: "string" },
    "upstream-model": { type: "string" },
    credential: { type: "string" },
    "timeout-ms": { type: "string" },
    "direct-models": { type: "string" },
  },
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const v = args.values;
    const id = positional(args, 0, "id");
    const upstream = str(v, "upstream-model");
    const credential = str(v, "credential");
    const timeout = str(v, "timeout-ms");
    const direct = str(v, "direct-models");
    if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--timeout-ms must be a positive integer, got "${timeout}"`);
    const body = {
      provider: required(v, "provider"),
      base_url: required(v, "base-url"),
      ...(upstream ? { upstream_model: upstream } : {}),
      ...(credential ? { credential_id: credential } : {}),
      ...(timeout ? { timeout_ms: Number(timeout) } : {}),
      ...(direct !== undefined ? { direct_models: direct.split(",").map((m) => m.trim()).filter((m) => m !== "") } : {}),
    };
    const res = await client.request<Deployment>("PUT", `/api/v1/deployments/${seg(id)}`, body);
    if (json) return printJson(io, res);
    io.stdout(`stored deployment ${id} (${body.provider} ${body.base_url})\n`);
  },
});

const deleteCmd = adminCommand({
  name: "delete",
  summary: "delete a deployment",
  usage: "Usage: sidegate deployments delete <id>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const res = await client.request("DELETE", `/api/v1/deployments/${seg(id)}`);
    if (json) return printJson(io, res);
    io.stdout(`deleted deployment ${id}\n`);
  },
});

export const deploymentsCommand = group("deployments", "Manage deployments (provider + base URL + credential).", [listCmd, setCmd, deleteCmd]);
