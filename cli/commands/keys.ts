import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, list, positional, required, str } from "../command";
import { printJson, secretBlock, table } from "../output";

type Key = Record<string, unknown>;

const listCmd = adminCommand({
  name: "list",
  summary: "list virtual keys (never their secrets)",
  usage: "Usage: sidegate keys list [--team TEAM] [--json]",
  options: { team: { type: "string" } },
  async action({ client, args, io, json }) {
    const team = str(args.values, "team");
    const keys = await client.list<Key>(`/api/v1/keys${team ? `?team_id=${encodeURIComponent(team)}` : ""}`);
    if (json) return printJson(io, keys);
    io.stdout(
      table(keys, [
        ["ID", (k) => k.id],
        ["TEAM", (k) => k.team_id],
        ["NAME", (k) => k.name],
        ["STATUS", (k) => k.status],
        ["KEY", (k) => k.display],
        ["MODELS", (k) => k.allowed_models],
        ["CREATED", (k) => k.created_at],
      ]),
    );
  },
});

const createCmd = adminCommand({
  name: "create",
  summary: "create a virtual key and print its secret once",
  usage: [
    "Usage: sidegate keys create --team TEAM [--id ID] [--name NAME] [--models a,b]",
    "",
    "  --team TEAM      owning team (required)",
    "  --id ID          key id; generated when omitted",
    "  --name NAME      label",
    "  --models a,b     models this key may use (default: the team's)",
    "",
    "The secret is printed once and cannot be retrieved later.",
  ].join("\n"),
  options: { team: { type: "string" }, id: { type: "string" }, name: { type: "string" }, models: { type: "string" } },
  async action({ client, args, io, json }) {
    const v = args.values;
    const id = str(v, "id");
    const name = str(v, "name");
    const models = list(str(v, "models"));
    const body = {
      team_id: required(v, "team"),
      ...(id ? { id } : {}),
      ...(name ? { name } : {}),
      ...(models ? { allowed_models: models } : {}),
    };
    const key = await client.request<Key>("POST", "/api/v1/keys", body);
    if (json) return printJson(io, key);
    io.stdout(secretBlock(`created key ${String(key?.id)} (team ${String(key?.team_id ?? body.team_id)})`, key?.key));
  },
});

const rotateCmd = adminCommand({
  name: "rotate",
  summary: "give a key a new secret; the old one keeps working for a grace period",
  usage: [
    "Usage: sidegate keys rotate <id> [--grace-seconds N]",
    "",
    "  --grace-seconds N   how long the old secret keeps working (default 86400 = 24 h; 0 = stops at once)",
    "",
    "The new secret is printed once and cannot be retrieved later.",
  ].join("\n"),
  options: { "grace-seconds": { type: "string" } },
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const grace = str(args.values, "grace-seconds");
    const body = grace === undefined ? {} : { grace_seconds: Number(grace) };
    const key = await client.request<Key>("POST", `/api/v1/keys/${seg(id)}/rotate`, body);
    if (json) return printJson(io, key);
    const until = (key?.previous_secrets_expire_at as string[] | undefined)?.at(-1);
    io.stdout(secretBlock(`rotated key ${id}`, key?.key, [until ? `The previous secret keeps working until ${until}.` : "The previous secret no longer works."]));
  },
});

const revokeCmd = adminCommand({
  name: "revoke",
  summary: "revoke a key (takes effect in every sidecar within a second)",
  usage: "Usage: sidegate keys revoke <id>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const id = positional(args, 0, "id");
    const res = await client.request<Key>("DELETE", `/api/v1/keys/${seg(id)}`);
    if (json) return printJson(io, res);
    io.stdout(`revoked key ${id}\n`);
  },
});

export const keysCommand = group("keys", "Manage virtual keys.", [listCmd, createCmd, rotateCmd, revokeCmd]);
