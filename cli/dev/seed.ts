import { randomBytes } from "node:crypto";
import { AdminApiError, seg, type AdminClient } from "../admin-client";

export const OPENAI_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini"] as const;
export const DEMO_TEAM = "demo";
export const DEMO_KEY_ID = "demo";
export const MOCK_MODEL = "mock-echo";

export interface SeedOptions {
  mockBaseUrl: string;
  demoKey: string;
  /** Present when OPENAI_API_KEY is set. */
  openai?: { apiKey: string; baseUrl: string };
}

export interface SeedResult {
  demoKeyId: string;
  models: string[];
}

/** Seed the dev setup through the admin API (dogfooding). Idempotent: safe on every restart. */
export async function seedDevData(client: AdminClient, o: SeedOptions): Promise<SeedResult> {
  await client.request("PUT", `/api/v1/teams/${DEMO_TEAM}`, { name: "Demo team" });
  await client.request("PUT", "/api/v1/deployments/mock", { provider: "openai", base_url: o.mockBaseUrl });
  await client.request("PUT", `/api/v1/routes/${MOCK_MODEL}`, { targets: [{ deployment_id: "mock" }] });
  const models: string[] = [MOCK_MODEL];
  if (o.openai) {
    await client.request("PUT", "/api/v1/providers/openai", { provider: "openai", secrets: { api_key: o.openai.apiKey } });
    const base = { provider: "openai", base_url: o.openai.baseUrl, credential_id: "openai" };
    await client.request("PUT", "/api/v1/deployments/openai", base);
    for (const model of OPENAI_MODELS) {
      const id = `openai-${model}`;
      await client.request("PUT", `/api/v1/deployments/${seg(id)}`, { ...base, upstream_model: model });
      await client.request("PUT", `/api/v1/routes/${seg(model)}`, { targets: [{ deployment_id: id }] });
      models.push(model);
    }
  }
  const demoKeyId = await ensureDemoKey(client, o.demoKey);
  return { demoKeyId, models };
}

type KeyRow = { id?: unknown; status?: unknown; display?: unknown };

function isDemoId(id: unknown): id is string {
  return typeof id === "string" && (id === DEMO_KEY_ID || id.startsWith(`${DEMO_KEY_ID}-`));
}

/** Last 4 characters is all the API reveals of a key (its `display`); enough to tell a changed demo key. */
function sameSecret(row: KeyRow, secret: string): boolean {
  return typeof row.display === "string" && row.display.slice(-4) === secret.slice(-4);
}

/**
 * Make sure exactly the demo secret is active for the demo team: keep a matching active key, revoke demo
 * keys holding another secret (a changed SIDEGATE_DEMO_KEY), then create it — with id "demo", or, when a
 * revoked "demo" still holds that id (409), "demo-<random>".
 */
export async function ensureDemoKey(client: AdminClient, secret: string): Promise<string> {
  const rows = await client.list<KeyRow>(`/api/v1/keys?team_id=${DEMO_TEAM}`);
  const active = rows.filter((r) => isDemoId(r.id) && r.status === "active");
  const keep = active.find((r) => sameSecret(r, secret));
  for (const r of active) {
    if (r !== keep) await client.request("DELETE", `/api/v1/keys/${seg(String(r.id))}`);
  }
  if (keep) return String(keep.id);
  const create = (id: string) => client.request("POST", "/api/v1/keys", { id, team_id: DEMO_TEAM, name: "demo", secret });
  try {
    await create(DEMO_KEY_ID);
    return DEMO_KEY_ID;
  } catch (err) {
    if (!(err instanceof AdminApiError) || err.status !== 409) throw err;
  }
  // The id is taken (e.g. by a revoked key, or a racing create): revoke and re-create, else use a fresh id.
  await client.request("DELETE", `/api/v1/keys/${DEMO_KEY_ID}`).catch(() => undefined);
  try {
    await create(DEMO_KEY_ID);
    return DEMO_KEY_ID;
  } catch (err) {
    if (!(err instanceof AdminApiError) || err.status !== 409) throw err;
  }
  const id = `${DEMO_KEY_ID}-${randomBytes(4).toString("hex")}`;
  await create(id);
  return id;
}
