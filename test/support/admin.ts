/** Minimal admin-API caller for tests (the CLI has its own client; tests check the wire, not the CLI). */
export interface AdminResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: string, path: string, body?: unknown, token: string | null = this.token): Promise<AdminResponse> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Like `call`, but throws unless the status is 2xx. */
  async ok(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.call(method, path, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }
}
