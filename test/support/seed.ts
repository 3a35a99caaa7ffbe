import type { AdminClient } from "./admin";

export const TEST_PROVIDER_KEY = "sk-upstream-TEST-" + "9f8e7d6c5b4a39281706";

/** Team `demo`, model `mock-echo` routed to the mock provider at `mockBaseUrl`, and a key; returns the key. */
export async function seedMockRoute(admin: AdminClient, mockBaseUrl: string): Promise<string> {
  await admin.ok("PUT", "/api/v1/teams/demo", { name: "Demo" });
  await admin.ok("PUT", "/api/v1/providers/mock-cred", { provider: "openai", secrets: { api_key: TEST_PROVIDER_KEY } });
  await admin.ok("PUT", "/api/v1/deployments/mock", { provider: "openai", base_url: mockBaseUrl, credential_id: "mock-cred" });
  await admin.ok("PUT", "/api/v1/routes/mock-echo", { targets: [{ deployment_id: "mock" }] });
  const created = (await admin.ok("POST", "/api/v1/keys", { id: "demo", team_id: "demo" })) as { key: string };
  return created.key;
}
