/** Closed-loop chat traffic against one or more sidecars, counting answers by status. */
export interface TrafficResult {
  readonly ok: number;
  readonly failed: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export interface Traffic {
  /** Requests answered 200 so far. */
  ok(): number;
  stop(): Promise<TrafficResult>;
}

export async function chat(port: number, key: string, content: string, headers: Readonly<Record<string, string>> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { ...headers, authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock-echo", messages: [{ role: "user", content }] }),
  });
}

/** `concurrency` loops per port, each sending one request after another until stopped. */
export function startTraffic(ports: readonly number[], key: string, concurrency = 2): Traffic {
  let running = true;
  let ok = 0;
  let n = 0;
  const statuses: Record<string, number> = {};
  const loop = async (port: number): Promise<void> => {
    while (running) {
      let status: string;
      try {
        const res = await chat(port, key, `request ${++n} via ${port}`);
        await res.arrayBuffer();
        status = String(res.status);
      } catch (err) {
        status = `error:${(err as Error).message}`;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === "200") ok++;
    }
  };
  const loops = ports.flatMap((port) => Array.from({ length: concurrency }, () => loop(port)));
  return {
    ok: () => ok,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      const total = Object.values(statuses).reduce((a, b) => a + b, 0);
      return { ok, failed: total - ok, statuses: { ...statuses } };
    },
  };
}
