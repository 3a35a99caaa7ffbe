import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A loopback TCP relay placed between two of our processes, so a test can sever or half-blackhole the
 * connection between them without touching either side's code.
 */
export interface TcpProxy {
  port: number;
  /** Destroy every relayed connection now (both sides see a reset). */
  cutAll(): void;
  /** Keep forwarding client→server bytes but drop server→client bytes until `restore()`. */
  blackholeDownstream(): void;
  restore(): void;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let dropDownstream = false;
  let total = 0;
  const server: Server = createServer((client) => {
    total += 1;
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => {
      if (!dropDownstream) client.write(d);
    });
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  return {
    port: address.port,
    cutAll: () => {
      for (const [a, b] of pairs) {
        a.resetAndDestroy();
        b.resetAndDestroy();
      }
      pairs.clear();
    },
    blackholeDownstream: () => {
      dropDownstream = true;
    },
    restore: () => {
      dropDownstream = false;
    },
    connections: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
