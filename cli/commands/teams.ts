import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, list, positional, required, str } from "../command";
import { printJson, table } from "../output";

type Team = Record<string, unknown>;

const listCmd = adminCommand({
  name: "list",
  summary: "list teams",
  usage: "Usage: sidegate teams list [--json]",
  async action({ client, io, json }) {
    const teams = await client.list<Team>("/api/v1/teams");
    if (json) return printJson(io, teams);
    io.stdout(table(teams, [["ID", (t) => t.id], ["NAME", (t) => t.name], ["ALLOWED MODELS", (t) => t.allowed_models], ["CREATED", (t) => t.created_at]]));
  },
});

const createCmd = adminCommand({
  name: "create",
  summary: "create a team",
  usage: [
    "Usage: sidegate teams create [<id>] --name NAME [--models a,b]",
    "",
    "  <id>             team id ([a-z0-9][a-z0-9._-]*); generated when omitted",
    "  --name NAME      display name (required)",
    "  --models a,b     models the team's keys may use (default: every route)",
  ].join("\n"),
  options: { name: { type: "string" }, models: { type: "string" } },
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = args.positionals[0];
    const models = list(str(args.values, "models"));
    const body = { ...(id ? { id } : {}), name: required(args.values, "name"), ...(models ? { allowed_models: models } : {}) };
    const team = await client.request<Team>("POST", "/api/v1/teams", body);
    if (json) return printJson(io, team);
    io.stdout(`created team ${String(team?.id ?? id)}\n`);
  },
});

const deleteCmd = adminCommand({
  name: "delete",
  summary: "delete a team (revokes its keys)",
  usage: "Usage: sidegate teams delete <id>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const res = await client.request("DELETE", `/api/v1/teams/${seg(id)}`);
    if (json) return printJson(io, res);
    io.stdout(`deleted team ${id}\n`);
  },
});

export const teamsCommand = group("teams", "Manage teams.", [listCmd, createCmd, deleteCmd]);
