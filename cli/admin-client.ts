/** Small fetch-based client for the control plane's admin HTTP API (`/api/v1/...`). */

export interface ApiErrorDetail {
  path: string;
  message: string;
}

/** The API answered with its error envelope (or with something that is not one). */
export class AdminApiError extends Error {
  override readonly name = "AdminApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** The API could not be reached at all (connection refused, DNS, ...). */
export class AdminUnreachableError extends Error {
  override readonly name = "AdminUnreachableError";
}

export interface AdminClient {
  readonly baseUrl: string;
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  list<T = Record<string, unknown>>(path: string): Promise<T[]>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** "127.0.0.1:4100", "http://h:1/" → "http://127.0.0.1:4100", "http://h:1" */
export function normalizeBaseUrl(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

export const DEFAULT_CP_HTTP = "127.0.0.1:4100";

/** Path segment for ids and model names (model names may contain `/`, `:` and `.`). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export function createAdminClient(opts: { baseUrl: string; token?: string | undefined; fetch?: FetchLike }): AdminClient {
  const baseUrl = normalizeBaseUrl(opts.baseUrl);
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(baseUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new AdminUnreachableError(`cannot reach the admin API at ${baseUrl} (${cause?.code ?? cause?.message ?? String(err)})`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw toApiError(res.status, json, text);
    return json as T;
  }

  return {
    baseUrl,
    request,
    async list<T>(path: string): Promise<T[]> {
      const body = await request<{ data?: unknown }>("GET", path);
      if (!body || !Array.isArray(body.data)) throw new AdminApiError(0, "bad_response", `GET ${path}: expected {"data":[...]}`);
      return body.data as T[];
    },
  };
}

function toApiError(status: number, json: unknown, text: string): AdminApiError {
  const e = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e === "object") {
    const details = Array.isArray(e.details)
      ? e.details.map((d: { path?: unknown; message?: unknown }) => ({ path: String(d?.path ?? ""), message: String(d?.message ?? "") }))
      : [];
    return new AdminApiError(status, String(e.code ?? `http_${status}`), String(e.message ?? ""), details);
  }
  return new AdminApiError(status, `http_${status}`, text.slice(0, 200) || `HTTP ${status}`);
}
