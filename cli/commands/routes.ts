import { adminCommand } from "../admin-context";
import { seg } from "../admin-client";
import { group, positional, str, UsageError } from "../command";
import { printJson, table } from "../output";

type Route = Record<string, unknown>;
interface Target {
  deployment_id: string;
  weight: number;
  priority: number;
}

function targetsCell(r: Route): string {
  const targets = Array.isArray(r.targets) ? (r.targets as Array<Partial<Target>>) : [];
  return targets.map((t) => `${String(t.deployment_id)}(p${t.priority ?? 0},w${t.weight ?? 1})`).join(" ") || "-";
}

const listCmd = adminCommand({
  name: "list",
  summary: "list model routes",
  usage: "Usage: sidegate routes list [--json]",
  async action({ client, io, json }) {
    const routes = await client.list<Route>("/api/v1/routes");
    if (json) return printJson(io, routes);
    io.stdout(table(routes, [["MODEL", (r) => r.model], ["STRATEGY", (r) => r.strategy], ["TARGETS", targetsCell]]));
  },
});

const STRATEGIES = ["priority", "weighted", "lowest_latency", "least_in_flight"] as const;
type Strategy = (typeof STRATEGIES)[number];

/**
 * `--deployment a --deployment b` → priority order (a first, b as fallback); with any other strategy every
 * target shares priority 0 (the strategy picks among them, the rest are the fallbacks) and `id:weight` sets
 * the weight.
 */
export function buildTargets(specs: string[], strategy: Strategy): Target[] {
  if (specs.length === 0) throw new UsageError("missing required option --deployment");
  return specs.map((spec, i) => {
    const [id = "", w] = spec.split(":");
    if (id === "") throw new UsageError(`invalid --deployment "${spec}"`);
    const weight = w === undefined ? 1 : Number(w);
    if (!Number.isInteger(weight) || weight < 0) throw new UsageError(`invalid weight in --deployment "${spec}"`);
    return { deployment_id: id, weight, priority: strategy === "priority" ? i : 0 };
  });
}

const setCmd = adminCommand({
  name: "set",
  summary: "route a model name to deployment(s)",
  usage: [
    "Usage: sidegate routes set <model> --deployment D [--deployment D2 ...] [--strategy S]",
    "",
    "  --deployment D     target deployment; repeat for fallbacks (priority order) or weighted targets (D:WEIGHT)",
    "  --strategy S       priority (default), weighted, lowest_latency or least_in_flight",
  ].join("\n"),
  options: { deployment: { type: "string", multiple: true }, strategy: { type: "string" } },
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const model = positional(args, 0, "model");
    const strategy = str(args.values, "strategy") ?? "priority";
    if (!(STRATEGIES as readonly string[]).includes(strategy)) {
      throw new UsageError(`--strategy must be one of ${STRATEGIES.join(", ")}, got "${strategy}"`);
    }
    const specs = (args.values.deployment as string[] | undefined) ?? [];
    const body = { strategy, targets: buildTargets(specs, strategy as Strategy) };
    const res = await client.request<Route>("PUT", `/api/v1/routes/${seg(model)}`, body);
    if (json) return printJson(io, res);
    io.stdout(`routed ${model} → ${body.targets.map((t) => t.deployment_id).join(", ")}\n`);
  },
});

const deleteCmd = adminCommand({
  name: "delete",
  summary: "delete a model route",
  usage: "Usage: sidegate routes delete <model>",
  maxPositionals: 1,
  async action({ client, args, io, json }) {
    const model = positional(args, 0, "model");
    const res = await client.request("DELETE", `/api/v1/routes/${seg(model)}`);
    if (json) return printJson(io, res);
    io.stdout(`deleted route ${model}\n`);
  },
});

export const routesCommand = group("routes", "Manage model routes (model name → deployments).", [listCmd, setCmd, deleteCmd]);
