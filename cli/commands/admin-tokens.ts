import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, list, positional, required, str } from "../command";
import { printJson, secretBlock, table } from "../output";

type Token = Record<string, unknown>;

const listCmd = adminCommand({
  name: "list",
  summary: "list admin tokens (never their secrets)",
  usage: "Usage: sidegate admin-tokens list [--json]",
  async action({ client, io, json }) {
    const tokens = await client.list<Token>("/api/v1/admin-tokens");
    if (json) return printJson(io, tokens);
    io.stdout(table(tokens, [
      ["ID", (t) => t.id], ["NAME", (t) => t.name], ["ROLE", (t) => t.role], ["TEAMS", (t) => t.teams], ["STATUS", (t) => t.status],
      ["TOKEN", (t) => t.display], ["CREATED", (t) => t.created_at],
    ]));
  },
});

const createCmd = adminCommand({
  name: "create",
  summary: "create an admin token and print its secret once",
  usage: [
    "Usage: sidegate admin-tokens create --role org_admin|team_admin|viewer [--teams a,b] [--name NAME] [--id ID]",
    "",
    "  --role ROLE      org_admin (everything), team_admin (its --teams only), viewer (read-only)",
    "  --teams a,b      the teams a team_admin may see and change (required for team_admin)",
    "",
    "The secret is printed once and cannot be retrieved later.",
  ].join("\n"),
  options: { role: { type: "string" }, teams: { type: "string" }, name: { type: "string" }, id: { type: "string" } },
  async action({ client, args, io, json }) {
    const v = args.values;
    const teams = list(str(v, "teams"));
    const name = str(v, "name");
    const id = str(v, "id");
    const body = { role: required(v, "role"), ...(teams ? { teams } : {}), ...(name ? { name } : {}), ...(id ? { id } : {}) };
    const t = await client.request<Token>("POST", "/api/v1/admin-tokens", body);
    if (json) return printJson(io, t);
    io.stdout(secretBlock(`created admin token ${String(t?.id)} (${String(t?.role)})`, t?.token));
  },
});

const revokeCmd = adminCommand({
  name: "revoke",
  summary: "revoke an admin token (refused from the next request on)",
  usage: "Usage: sidegate admin-tokens revoke <id>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const res = await client.request("DELETE", `/api/v1/admin-tokens/${seg(id)}`);
    if (json) return printJson(io, res);
    io.stdout(`revoked admin token ${id}\n`);
  },
});

export const adminTokensCommand = group("admin-tokens", "Manage admin API tokens and their roles.", [listCmd, createCmd, revokeCmd]);
