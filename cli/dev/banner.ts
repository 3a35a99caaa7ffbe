export interface BannerInfo {
  sidecarUrl: string;
  adminUrl: string;
  mockUrl: string;
  demoKey: string;
  adminTokenSource: string;
  dataDir: string;
  models: string[];
}

/** "http://h:p" or "http://h:p/" or ".../v1" → ".../v1" */
export function v1(url: string): string {
  const u = url.replace(/\/+$/, "");
  return u.endsWith("/v1") ? u : `${u}/v1`;
}

export function devBanner(b: BannerInfo): string {
  const sidecar = v1(b.sidecarUrl);
  const body = JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content: "Hello, Sidegate!" }] });
  return [
    "",
    "Sidegate dev is running.",
    "",
    `  Sidecar (OpenAI API)  ${sidecar}`,
    `  Admin API             ${b.adminUrl.replace(/\/+$/, "")}/api/v1`,
    `  Mock provider         ${v1(b.mockUrl)}`,
    `  Models                ${b.models.join(", ")}`,
    `  Demo key              ${b.demoKey}`,
    `  Admin token           ${b.adminTokenSource}`,
    `  Data dir              ${b.dataDir}`,
    "",
    "Try it:",
    "",
    `  curl ${sidecar}/chat/completions \\`,
    `    -H "Authorization: Bearer ${b.demoKey}" \\`,
    `    -H "Content-Type: application/json" \\`,
    `    -d '${body}'`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}
