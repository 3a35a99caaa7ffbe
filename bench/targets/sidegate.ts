/**
 * Sidegate as it runs in production, in two processes: `sidegate control-plane` (on the load core as
 * a SCHED_IDLE background process: it is not under test) and `sidegate sidecar` (pinned to the proxy core), seeded through the
 * admin HTTP API.
 * Everything the pipeline has is on: key auth, team RPM/TPM/concurrency limits and a hard budget (leases,
 * reservation, settlement, rate-limit headers), routing through the attempt loop (breaker, timeouts), a
 * provider credential injected upstream, usage records streamed to the control plane and acked, Prometheus
 * metrics with their listener.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_FLAGS } from "../../cli/node-flags";
import { launch, type Launched } from "../lib/launcher";
import { freePort, waitForHttp } from "../lib/net";
import { BENCH_MODEL, openAiSpec, profileArgs, type Target } from "./types";

const CLI = join(__dirname, "../../cli/sidegate.js");
const TEAM = "bench";

export class AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new Error(`admin ${method} ${path} → ${res.status}: ${text}`);
    return text === "" ? null : (JSON.parse(text) as unknown);
  }
}

export interface SidegateOptions {
  readonly mockBaseUrl: string;
  readonly proxyCore: number | null;
  readonly helperCore: number | null;
  /** Where `node --cpu-prof` writes the sidecar's profile; null = no profiling. */
  readonly profileDir?: string | null;
  /** More deployments and routes (the translation scenario), applied before the sidecar starts. */
  readonly seed?: (admin: AdminApi) => Promise<void>;
}

/** One more sidecar process on the same control plane (another build, for `--ab`). */
export interface ExtraSidecar {
  readonly origin: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface SidegateTarget extends Target {
  readonly origin: string;
  readonly key: string;
  readonly admin: AdminApi;
  /** Starts the sidecar at `cli` (a `dist/cli/sidegate.js`) as sidecar `id`, pinned like this one; ready when resolved. */
  spawnSidecar(cli: string, id: string): Promise<ExtraSidecar>;
}

interface UsageRow {
  requests?: number;
}

export async function startSidegate(o: SidegateOptions): Promise<SidegateTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), "sidegate-bench-"));
  const [grpc, http, port, metrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const adminToken = `adm-${randomBytes(18).toString("base64url")}`;
  const sidecarToken = `sct-${randomBytes(18).toString("base64url")}`;
  const key = `sk-sg-${randomBytes(32).toString("base64url")}`;
  const base = { PATH: process.env.PATH ?? "", SIDEGATE_CP_GRPC: `127.0.0.1:${grpc}`, SIDEGATE_SIDECAR_TOKEN: sidecarToken };
  const started: Launched[] = [];
  const stopAll = async (): Promise<void> => {
    for (const p of started.reverse()) await p.stop(15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const cp = launch({
      name: "sidegate control-plane",
      args: [...NODE_FLAGS["control-plane"], CLI, "control-plane"],
      env: {
        ...base,
        SIDEGATE_CP_HTTP: `127.0.0.1:${http}`,
        SIDEGATE_ADMIN_TOKEN: adminToken,
        SIDEGATE_MASTER_KEY: randomBytes(32).toString("base64"),
        SIDEGATE_DATA_DIR: dataDir,
        SIDEGATE_LOG_LEVEL: "warn",
        // SCHED_IDLE on the load core starves it for as long as another target saturates that core; leases
        // must outlive that (a lapsed budget lease fails closed, and Sidegate would be measured refusing).
        SIDEGATE_LEASE_TTL_MS: "120000",
      },
      core: o.helperCore,
      // Not under test (in production it runs elsewhere): its usage-ingest bursts must not stall the mock.
      background: true,
    });
    started.push(cp);
    const admin = new AdminApi(`http://127.0.0.1:${http}`, adminToken);
    await waitForHttp(`${admin.baseUrl}/healthz`, 20_000, () => cp.alive).catch((e: unknown) => {
      throw new Error(`control plane: ${String(e)}\n${cp.tail()}`);
    });
    // Limits that never bind but are all checked: team RPM/TPM/concurrency and a hard monthly budget (leased,
    // reserved before and settled after every request), so the run measures the limiter's cost too.
    await admin.call("PUT", `/api/v1/teams/${TEAM}`, {
      name: "Benchmark team",
      limits: {
        rpm: 1_000_000_000, tpm: 1_000_000_000_000, max_concurrent: 1_000_000,
        budgets: [{ id: "bench", limit_usd: 1_000_000_000, period: "month", hard: true }],
      },
    });
    await admin.call("PUT", "/api/v1/providers/mock-cred", { provider: "openai", secrets: { api_key: `sk-mock-${randomBytes(12).toString("hex")}` } });
    await admin.call("PUT", "/api/v1/deployments/mock", { provider: "openai", base_url: o.mockBaseUrl, credential_id: "mock-cred" });
    await admin.call("PUT", `/api/v1/routes/${BENCH_MODEL}`, { targets: [{ deployment_id: "mock" }] });
    await admin.call("POST", "/api/v1/keys", { id: "bench", team_id: TEAM, name: "bench", secret: key });
    await o.seed?.(admin);

    const startSidecar = async (cli: string, id: string, sidecarPort: number, metricsPort: number, profile: string[]): Promise<Launched> => {
      const child = launch({
        name: `sidegate sidecar ${id}`,
        args: [...profile, ...NODE_FLAGS.sidecar, cli, "sidecar"],
        env: {
          ...base,
          SIDEGATE_HOST: "127.0.0.1",
          SIDEGATE_PORT: String(sidecarPort),
          SIDEGATE_SIDECAR_ID: id,
          SIDEGATE_METRICS_PORT: String(metricsPort),
          SIDEGATE_LOG_LEVEL: "info",
        },
        core: o.proxyCore,
      });
      started.push(child);
      await waitForHttp(`http://127.0.0.1:${sidecarPort}/readyz`, 20_000, () => child.alive).catch((e: unknown) => {
        throw new Error(`sidecar ${id}: ${String(e)}\n${child.tail()}`);
      });
      return child;
    };
    const sidecar = await startSidecar(CLI, "bench-sidecar", port, metrics, profileArgs(o.profileDir ?? null, "sidegate-sidecar"));
    const origin = `http://127.0.0.1:${port}`;
    const auth = ["authorization", `Bearer ${key}`];
    return {
      id: "sidegate",
      label: "Sidegate (full pipeline)",
      kind: "product",
      pid: sidecar.pid,
      helpers: { "control plane": cp.pid },
      notes: ["sidecar + control plane in separate processes; auth, routing, credential, usage to the control plane, metrics"],
      origin,
      key,
      admin,
      request: (p) => openAiSpec(origin, p, auth),
      afterRun: async () => {
        await new Promise((r) => setTimeout(r, 1500)); // a few usage flush intervals
        const usage = (await admin.call("GET", "/api/v1/usage")) as { data?: UsageRow[] };
        const scraped = await fetch(`http://127.0.0.1:${metrics}/metrics`).then((r) => r.text(), () => "");
        return { usageRequestsAccounted: usage.data?.[0]?.requests ?? 0, metricsBytes: scraped.length };
      },
      spawnSidecar: async (cli, id) => {
        const [extraPort, extraMetrics] = [await freePort(), await freePort()];
        const child = await startSidecar(cli, id, extraPort, extraMetrics, []);
        return { origin: `http://127.0.0.1:${extraPort}`, pid: child.pid, stop: async () => void (await child.stop(15_000)) };
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
